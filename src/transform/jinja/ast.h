#pragma once
// The syntax tree a template parses into once; rendering walks it (jinja_interpreter).
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transform/jinja/filters.h"
#include "transform/jinja/value.h"

namespace dlctl::jinja {

struct Expr {
  enum class Kind {
    kLiteral,
    kName,
    kList,  // also tuples
    kDict,
    kAttribute,
    kIndex,
    kSlice,
    kCall,
    kFilter,
    kTest,
    kUnary,
    kBinary,
    kCompare,
    kConditional,
  };
  Expr(Kind k, int l) : kind(k), line(l) {}
  virtual ~Expr() = default;
  Kind kind;
  int line;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Arguments {
  std::vector<ExprPtr> positional;
  std::vector<std::pair<std::string, ExprPtr>> keyword;
  ExprPtr star_args;    // *list
  ExprPtr star_kwargs;  // **dict
};

struct LiteralExpr : Expr {
  LiteralExpr(int l, Value v) : Expr(Kind::kLiteral, l), value(std::move(v)) {}
  Value value;
};

struct NameExpr : Expr {
  NameExpr(int l, std::string n) : Expr(Kind::kName, l), name(std::move(n)) {}
  std::string name;
};

struct ListExpr : Expr {
  ListExpr(int l, bool t) : Expr(Kind::kList, l), tuple(t) {}
  std::vector<ExprPtr> items;
  bool tuple;
};

struct DictExpr : Expr {
  explicit DictExpr(int l) : Expr(Kind::kDict, l) {}
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
};

struct AttributeExpr : Expr {
  AttributeExpr(int l, ExprPtr o, std::string n) : Expr(Kind::kAttribute, l), object(std::move(o)), name(std::move(n)) {}
  ExprPtr object;
  std::string name;
};

struct IndexExpr : Expr {
  IndexExpr(int l, ExprPtr o, ExprPtr i) : Expr(Kind::kIndex, l), object(std::move(o)), index(std::move(i)) {}
  ExprPtr object;
  ExprPtr index;
};

struct SliceExpr : Expr {
  SliceExpr(int l, ExprPtr o) : Expr(Kind::kSlice, l), object(std::move(o)) {}
  ExprPtr object;
  ExprPtr start, stop, step;  // each may be null
};

struct CallExpr : Expr {
  CallExpr(int l, ExprPtr c) : Expr(Kind::kCall, l), callee(std::move(c)) {}
  ExprPtr callee;
  Arguments args;
};

// value|name(args). The operand is null for the filters of {% filter %} and block set.
struct FilterExpr : Expr {
  FilterExpr(int l, ExprPtr o, std::string n, const FilterFunction* f)
      : Expr(Kind::kFilter, l), operand(std::move(o)), name(std::move(n)), filter(f) {}
  ExprPtr operand;
  std::string name;
  const FilterFunction* filter;
  Arguments args;
};

struct TestExpr : Expr {
  TestExpr(int l, ExprPtr o, std::string n, const TestFunction* t, bool neg)
      : Expr(Kind::kTest, l), operand(std::move(o)), name(std::move(n)), test(t), negated(neg) {}
  ExprPtr operand;
  std::string name;
  const TestFunction* test;
  bool negated;
  Arguments args;
};

enum class UnaryOp { kNot, kNegate, kPlus };
struct UnaryExpr : Expr {
  UnaryExpr(int l, UnaryOp o, ExprPtr e) : Expr(Kind::kUnary, l), op(o), operand(std::move(e)) {}
  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp { kAdd, kSubtract, kMultiply, kDivide, kFloorDivide, kModulo, kPower, kConcat, kAnd, kOr };
struct BinaryExpr : Expr {
  BinaryExpr(int l, BinaryOp o, ExprPtr a, ExprPtr b)
      : Expr(Kind::kBinary, l), op(o), left(std::move(a)), right(std::move(b)) {}
  BinaryOp op;
  ExprPtr left, right;
};

enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kIn, kNotIn };
// a < b <= c: each pair compared, all must hold (Python's chaining).
struct CompareExpr : Expr {
  CompareExpr(int l, ExprPtr f) : Expr(Kind::kCompare, l), first(std::move(f)) {}
  ExprPtr first;
  std::vector<std::pair<CompareOp, ExprPtr>> rest;
};

struct ConditionalExpr : Expr {
  ConditionalExpr(int l, ExprPtr t, ExprPtr c, ExprPtr o)
      : Expr(Kind::kConditional, l), then(std::move(t)), condition(std::move(c)), otherwise(std::move(o)) {}
  ExprPtr then, condition, otherwise;  // otherwise may be null (undefined)
};

struct Stmt {
  enum class Kind { kData, kOutput, kIf, kFor, kSet, kSetBlock, kMacro, kCallBlock, kFilterBlock, kDo, kBreak,
                    kContinue, kWith };
  Stmt(Kind k, int l) : kind(k), line(l) {}
  virtual ~Stmt() = default;
  Kind kind;
  int line;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct DataStmt : Stmt {
  DataStmt(int l, std::string_view t) : Stmt(Kind::kData, l), text(t) {}
  std::string_view text;  // views into the template's source
};

struct OutputStmt : Stmt {
  OutputStmt(int l, ExprPtr e) : Stmt(Kind::kOutput, l), expr(std::move(e)) {}
  ExprPtr expr;
};

struct IfStmt : Stmt {
  explicit IfStmt(int l) : Stmt(Kind::kIf, l) {}
  std::vector<std::pair<ExprPtr, Body>> branches;  // if, then each elif
  Body otherwise;
};

// Names a value is assigned to: `x`, `k, v`, or `ns.attr`.
struct AssignTarget {
  std::vector<std::string> names;  // more than one (or a trailing comma): unpack
  bool unpack = false;
  std::string attribute;  // set: names[0].attribute = value
};

struct ForStmt : Stmt {
  explicit ForStmt(int l) : Stmt(Kind::kFor, l) {}
  AssignTarget target;
  ExprPtr iterable;
  ExprPtr filter;  // for x in xs if cond
  Body body;
  Body otherwise;
};

struct SetStmt : Stmt {
  explicit SetStmt(int l) : Stmt(Kind::kSet, l) {}
  AssignTarget target;
  ExprPtr value;
};

struct SetBlockStmt : Stmt {
  explicit SetBlockStmt(int l) : Stmt(Kind::kSetBlock, l) {}
  AssignTarget target;
  ExprPtr filter;  // {% set x | upper %}: a FilterExpr chain whose innermost operand is null
  Body body;
};

struct Parameter {
  std::string name;
  ExprPtr default_value;  // may be null: the parameter is undefined when not passed
};

struct MacroStmt : Stmt {
  explicit MacroStmt(int l) : Stmt(Kind::kMacro, l) {}
  std::string name;
  std::vector<Parameter> parameters;
  Body body;
  // Whether the body reads these names: then it accepts extra arguments / a call block.
  bool uses_varargs = false;
  bool uses_kwargs = false;
  bool uses_caller = false;
};

struct CallBlockStmt : Stmt {
  explicit CallBlockStmt(int l) : Stmt(Kind::kCallBlock, l), caller(l) {}
  ExprPtr call;      // a CallExpr
  MacroStmt caller;  // the body, with the parameters of {% call(args) %}
};

struct FilterBlockStmt : Stmt {
  explicit FilterBlockStmt(int l) : Stmt(Kind::kFilterBlock, l) {}
  ExprPtr filter;
  Body body;
};

struct DoStmt : Stmt {
  DoStmt(int l, ExprPtr e) : Stmt(Kind::kDo, l), expr(std::move(e)) {}
  ExprPtr expr;
};

struct WithStmt : Stmt {
  explicit WithStmt(int l) : Stmt(Kind::kWith, l) {}
  std::vector<std::pair<std::string, ExprPtr>> assignments;
  Body body;
};

// A parsed template: the source the tree views into, and the tree.
struct TemplateData {
  std::string file;
  std::string source;
  Body body;
  std::vector<const MacroStmt*> macros;  // top-level {% macro %} and {% test %} definitions, in order
};

}  // namespace dlctl::jinja
