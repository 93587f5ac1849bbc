#include "transform/jinja/parser.h"

#include <fmt/format.h>

#include <algorithm>

#include "transform/jinja/error.h"
#include "transform/jinja/lexer.h"

namespace dlctl::jinja {
namespace {

// Tags dbt projects do not use and we do not implement: a clear message instead of "unknown".
constexpr std::string_view kUnsupportedTags[] = {"include", "import", "from", "extends", "block", "autoescape"};

class Parser {
 public:
  Parser(TemplateData& data, const FilterTable& filters, const TestTable& tests)
      : data_(data), filters_(filters), tests_(tests) {}

  void Run() {
    tokens_ = Tokenize(data_.source, data_.file);
    data_.body = ParseUntil({}, "", 0);
    for (const StmtPtr& stmt : data_.body) {
      if (stmt->kind == Stmt::Kind::kMacro) data_.macros.push_back(static_cast<const MacroStmt*>(stmt.get()));
    }
  }

 private:
  // ---- tokens ----
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(index_ + ahead, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& token = tokens_[index_];
    if (index_ + 1 < tokens_.size()) ++index_;
    return token;
  }
  bool IsOp(std::string_view op, size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kOperator && Peek(ahead).text == op;
  }
  bool IsName(std::string_view name, size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kName && Peek(ahead).text == name;
  }
  bool SkipOp(std::string_view op) {
    if (!IsOp(op)) return false;
    Next();
    return true;
  }
  bool SkipName(std::string_view name) {
    if (!IsName(name)) return false;
    Next();
    return true;
  }

  [[noreturn]] void Fail(int line, const std::string& message) const { throw TemplateError(data_.file, line, message); }
  [[noreturn]] void Unexpected(const std::string& expected) const {
    const Token& token = Peek();
    if (expected.empty()) Fail(token.line, fmt::format("unexpected {}", Describe(token)));
    Fail(token.line, fmt::format("expected {}, got {}", expected, Describe(token)));
  }
  void ExpectOp(std::string_view op) {
    if (!SkipOp(op)) Unexpected(fmt::format("'{}'", op));
  }
  void ExpectKind(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) Unexpected(std::string(what));
    Next();
  }
  void ExpectBlockEnd() { ExpectKind(TokenKind::kBlockEnd, "'%}'"); }
  std::string ExpectName(std::string_view what) {
    if (Peek().kind != TokenKind::kName) Unexpected(std::string(what));
    return std::string(Next().text);
  }

  // ---- statements ----

  // Parses until a block tag named in `ends` ({% endif %}, {% else %}), consuming "{% name"
  // and leaving the rest of that tag. `opener` names the open block for messages.
  Body ParseUntil(const std::vector<std::string_view>& ends, std::string_view opener, int opener_line,
                  std::string_view* found = nullptr) {
    Body body;
    for (;;) {
      const Token& token = Peek();
      switch (token.kind) {
        case TokenKind::kData:
          body.push_back(std::make_unique<DataStmt>(token.line, token.text));
          Next();
          break;
        case TokenKind::kVariableBegin: {
          int line = Next().line;
          ExprPtr expr = ParseTuple(true);
          ExpectKind(TokenKind::kVariableEnd, "'}}'");
          body.push_back(std::make_unique<OutputStmt>(line, std::move(expr)));
          break;
        }
        case TokenKind::kBlockBegin: {
          const Token& name = Peek(1);
          if (name.kind != TokenKind::kName) {
            Next();
            Unexpected("a tag name");
          }
          if (std::find(ends.begin(), ends.end(), name.text) != ends.end()) {
            Next();
            Next();
            if (found) *found = name.text;
            return body;
          }
          if (name.text.starts_with("end") || name.text == "else" || name.text == "elif") {
            if (opener.empty()) Fail(name.line, fmt::format("unexpected '{{% {} %}}': no block is open", name.text));
            Fail(name.line, fmt::format("unexpected '{{% {} %}}': expected '{{% {} %}}' to close the '{{% {} %}}' from line {}",
                                        name.text, ends.back(), opener, opener_line));
          }
          body.push_back(ParseStatement());
          break;
        }
        case TokenKind::kEnd:
          if (!ends.empty()) {
            Fail(opener_line, fmt::format("unclosed '{{% {} %}}': expected '{{% {} %}}' before the end of the template",
                                          opener, ends.back()));
          }
          return body;
        default:
          Unexpected("");
      }
    }
  }

  StmtPtr ParseStatement() {
    Next();  // {%
    const Token& tag = Next();
    int line = tag.line;
    std::string_view name = tag.text;
    if (name == "if") return ParseIf(line);
    if (name == "for") return ParseFor(line);
    if (name == "set") return ParseSet(line);
    if (name == "macro") return ParseMacro(line, "macro", "endmacro", "");
    if (name == "test") return ParseMacro(line, "test", "endtest", "test_");  // dbt's custom generic test
    if (name == "snapshot") return ParseBlockMacro(line, "snapshot", "endsnapshot", "snapshot_");
    if (name == "materialization") return ParseMaterialization(line);
    if (name == "call") return ParseCallBlock(line);
    if (name == "filter") return ParseFilterBlock(line);
    if (name == "with") return ParseWith(line);
    if (name == "do") {
      auto stmt = std::make_unique<DoStmt>(line, ParseTuple(true));
      ExpectBlockEnd();
      return stmt;
    }
    if (name == "break" || name == "continue") {
      if (loop_depth_ == 0) Fail(line, fmt::format("'{{% {} %}}' outside of a for loop", name));
      ExpectBlockEnd();
      return std::make_unique<Stmt>(name == "break" ? Stmt::Kind::kBreak : Stmt::Kind::kContinue, line);
    }
    if (std::find(std::begin(kUnsupportedTags), std::end(kUnsupportedTags), name) != std::end(kUnsupportedTags)) {
      Fail(line, fmt::format("'{{% {} %}}' is not supported", name));
    }
    Fail(line, fmt::format("unknown tag '{}'", name));
  }

  StmtPtr ParseIf(int line) {
    auto stmt = std::make_unique<IfStmt>(line);
    ExprPtr condition = ParseTuple(false);
    for (;;) {
      ExpectBlockEnd();
      std::string_view found;
      Body body = ParseUntil({"elif", "else", "endif"}, "if", line, &found);
      stmt->branches.emplace_back(std::move(condition), std::move(body));
      if (found == "elif") {
        condition = ParseTuple(false);
        continue;
      }
      ExpectBlockEnd();
      if (found == "else") {
        stmt->otherwise = ParseUntil({"endif"}, "if", line);
        ExpectBlockEnd();
      }
      return stmt;
    }
  }

  AssignTarget ParseTarget(bool allow_attribute) {
    AssignTarget target;
    bool parenthesized = SkipOp("(");
    for (;;) {
      target.names.push_back(ExpectName("a variable name"));
      if (allow_attribute && target.names.size() == 1 && IsOp(".")) {
        Next();
        target.attribute = ExpectName("an attribute name");
        return target;
      }
      if (!SkipOp(",")) break;
      target.unpack = true;
      if (Peek().kind != TokenKind::kName) break;
    }
    if (parenthesized) ExpectOp(")");
    return target;
  }

  StmtPtr ParseFor(int line) {
    auto stmt = std::make_unique<ForStmt>(line);
    stmt->target = ParseTarget(false);
    if (!SkipName("in")) Unexpected("'in'");
    stmt->iterable = ParseTuple(false, /*stop_at_if=*/true);
    if (SkipName("if")) stmt->filter = ParseExpression(false);
    if (SkipName("recursive")) Fail(line, "recursive for loops are not supported");
    ExpectBlockEnd();
    std::string_view found;
    ++loop_depth_;
    stmt->body = ParseUntil({"else", "endfor"}, "for", line, &found);
    --loop_depth_;
    ExpectBlockEnd();
    if (found == "else") {
      stmt->otherwise = ParseUntil({"endfor"}, "for", line);
      ExpectBlockEnd();
    }
    return stmt;
  }

  StmtPtr ParseSet(int line) {
    AssignTarget target = ParseTarget(true);
    if (SkipOp("=")) {
      auto stmt = std::make_unique<SetStmt>(line);
      stmt->target = std::move(target);
      stmt->value = ParseTuple(true);
      ExpectBlockEnd();
      return stmt;
    }
    auto stmt = std::make_unique<SetBlockStmt>(line);
    if (target.unpack) Fail(line, "a block set assigns one name");
    stmt->target = std::move(target);
    if (SkipOp("|")) stmt->filter = ParseFilterChain(nullptr);
    ExpectBlockEnd();
    stmt->body = ParseUntil({"endset"}, "set", line);
    ExpectBlockEnd();
    return stmt;
  }

  void ParseParameters(MacroStmt& macro) {
    while (!IsOp(")")) {
      Parameter parameter;
      parameter.name = ExpectName("a parameter name");
      if (SkipOp("=")) parameter.default_value = ParseExpression(true);
      macro.parameters.push_back(std::move(parameter));
      if (!SkipOp(",")) break;
    }
    ExpectOp(")");
  }

  StmtPtr ParseMacro(int line, std::string_view tag, std::string_view end, std::string_view prefix) {
    auto stmt = std::make_unique<MacroStmt>(line);
    stmt->name = std::string(prefix) + ExpectName("a macro name");
    ExpectOp("(");
    ParseParameters(*stmt);
    ExpectBlockEnd();
    macros_.push_back(stmt.get());
    int saved_loop_depth = std::exchange(loop_depth_, 0);
    stmt->body = ParseUntil({end}, tag, line);
    loop_depth_ = saved_loop_depth;
    macros_.pop_back();
    ExpectBlockEnd();
    return stmt;
  }

  // dbt's {% snapshot name %}: a macro without parameters, named prefix + name.
  StmtPtr ParseBlockMacro(int line, std::string_view tag, std::string_view end, std::string_view prefix) {
    auto stmt = std::make_unique<MacroStmt>(line);
    stmt->name = std::string(prefix) + ExpectName("a name");
    ExpectBlockEnd();
    macros_.push_back(stmt.get());
    stmt->body = ParseUntil({end}, tag, line);
    macros_.pop_back();
    ExpectBlockEnd();
    return stmt;
  }

  // dbt's {% materialization name, default %} / {% materialization name, adapter='x' %}: kept as
  // the macro materialization_<name>_<adapter> so a package defining one loads; dlctl runs its
  // own materializations.
  StmtPtr ParseMaterialization(int line) {
    auto stmt = std::make_unique<MacroStmt>(line);
    std::string name = ExpectName("a materialization name");
    std::string adapter = "default";
    while (SkipOp(",")) {
      std::string key = ExpectName("default, adapter= or supported_languages=");
      if (key == "default") continue;
      ExpectOp("=");
      ExprPtr value = ParseExpression(true);
      if (key == "adapter" && value->kind == Expr::Kind::kLiteral)
        adapter = static_cast<const LiteralExpr&>(*value).value.ToString();
    }
    stmt->name = "materialization_" + name + "_" + adapter;
    ExpectBlockEnd();
    macros_.push_back(stmt.get());
    stmt->body = ParseUntil({"endmaterialization"}, "materialization", line);
    macros_.pop_back();
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseCallBlock(int line) {
    auto stmt = std::make_unique<CallBlockStmt>(line);
    stmt->caller.name = "caller";
    if (SkipOp("(")) ParseParameters(stmt->caller);
    stmt->call = ParseExpression(true);
    if (stmt->call->kind != Expr::Kind::kCall) Fail(line, "'{% call %}' needs a call, like '{% call my_macro() %}'");
    ExpectBlockEnd();
    macros_.push_back(&stmt->caller);
    int saved_loop_depth = std::exchange(loop_depth_, 0);
    stmt->caller.body = ParseUntil({"endcall"}, "call", line);
    loop_depth_ = saved_loop_depth;
    macros_.pop_back();
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseFilterBlock(int line) {
    auto stmt = std::make_unique<FilterBlockStmt>(line);
    stmt->filter = ParseFilterChain(nullptr);
    ExpectBlockEnd();
    stmt->body = ParseUntil({"endfilter"}, "filter", line);
    ExpectBlockEnd();
    return stmt;
  }

  StmtPtr ParseWith(int line) {
    auto stmt = std::make_unique<WithStmt>(line);
    while (Peek().kind != TokenKind::kBlockEnd) {
      if (!stmt->assignments.empty()) ExpectOp(",");
      std::string name = ExpectName("a variable name");
      ExpectOp("=");
      stmt->assignments.emplace_back(std::move(name), ParseExpression(true));
    }
    ExpectBlockEnd();
    stmt->body = ParseUntil({"endwith"}, "with", line);
    ExpectBlockEnd();
    return stmt;
  }

  // ---- expressions ----

  bool AtTupleEnd() const {
    const Token& token = Peek();
    return token.kind == TokenKind::kVariableEnd || token.kind == TokenKind::kBlockEnd ||
           (token.kind == TokenKind::kOperator && (token.text == ")" || token.text == "]" || token.text == "}"));
  }

  // `a` or `a, b` (a tuple); "(a)" is just a, "(a,)" a tuple of one.
  ExprPtr ParseTuple(bool with_conditional, bool stop_at_if = false) {
    int line = Peek().line;
    std::vector<ExprPtr> items;
    bool saw_comma = false;
    for (;;) {
      if (!items.empty()) {
        if (!SkipOp(",")) break;
        saw_comma = true;
        if (AtTupleEnd() || (stop_at_if && IsName("if"))) break;
      }
      items.push_back(ParseExpression(with_conditional));
    }
    if (items.size() == 1 && !saw_comma) return std::move(items[0]);
    auto tuple = std::make_unique<ListExpr>(line, true);
    tuple->items = std::move(items);
    return tuple;
  }

  ExprPtr ParseExpression(bool with_conditional) {
    ExprPtr expr = ParseOr();
    if (!with_conditional) return expr;
    while (IsName("if")) {
      int line = Next().line;
      ExprPtr condition = ParseOr();
      ExprPtr otherwise;
      if (SkipName("else")) otherwise = ParseExpression(true);
      expr = std::make_unique<ConditionalExpr>(line, std::move(expr), std::move(condition), std::move(otherwise));
    }
    return expr;
  }

  ExprPtr ParseOr() {
    ExprPtr left = ParseAnd();
    while (IsName("or")) {
      int line = Next().line;
      left = std::make_unique<BinaryExpr>(line, BinaryOp::kOr, std::move(left), ParseAnd());
    }
    return left;
  }

  ExprPtr ParseAnd() {
    ExprPtr left = ParseNot();
    while (IsName("and")) {
      int line = Next().line;
      left = std::make_unique<BinaryExpr>(line, BinaryOp::kAnd, std::move(left), ParseNot());
    }
    return left;
  }

  ExprPtr ParseNot() {
    if (IsName("not")) {
      int line = Next().line;
      return std::make_unique<UnaryExpr>(line, UnaryOp::kNot, ParseNot());
    }
    return ParseCompare();
  }

  ExprPtr ParseCompare() {
    int line = Peek().line;
    ExprPtr first = ParseMath1();
    std::unique_ptr<CompareExpr> compare;
    for (;;) {
      CompareOp op;
      if (IsOp("==")) {
        op = CompareOp::kEqual;
      } else if (IsOp("!=")) {
        op = CompareOp::kNotEqual;
      } else if (IsOp("<")) {
        op = CompareOp::kLess;
      } else if (IsOp("<=")) {
        op = CompareOp::kLessEqual;
      } else if (IsOp(">")) {
        op = CompareOp::kGreater;
      } else if (IsOp(">=")) {
        op = CompareOp::kGreaterEqual;
      } else if (IsName("in")) {
        op = CompareOp::kIn;
      } else if (IsName("not") && IsName("in", 1)) {
        Next();
        op = CompareOp::kNotIn;
      } else {
        break;
      }
      Next();
      if (!compare) compare = std::make_unique<CompareExpr>(line, std::move(first));
      compare->rest.emplace_back(op, ParseMath1());
    }
    if (compare) return compare;
    return first;
  }

  ExprPtr ParseMath1() {
    ExprPtr left = ParseConcat();
    while (IsOp("+") || IsOp("-")) {
      const Token& op = Next();
      BinaryOp kind = op.text == "+" ? BinaryOp::kAdd : BinaryOp::kSubtract;
      left = std::make_unique<BinaryExpr>(op.line, kind, std::move(left), ParseConcat());
    }
    return left;
  }

  ExprPtr ParseConcat() {
    ExprPtr left = ParseMath2();
    while (IsOp("~")) {
      int line = Next().line;
      left = std::make_unique<BinaryExpr>(line, BinaryOp::kConcat, std::move(left), ParseMath2());
    }
    return left;
  }

  ExprPtr ParseMath2() {
    ExprPtr left = ParsePower();
    for (;;) {
      BinaryOp kind;
      if (IsOp("*")) {
        kind = BinaryOp::kMultiply;
      } else if (IsOp("/")) {
        kind = BinaryOp::kDivide;
      } else if (IsOp("//")) {
        kind = BinaryOp::kFloorDivide;
      } else if (IsOp("%")) {
        kind = BinaryOp::kModulo;
      } else {
        return left;
      }
      int line = Next().line;
      left = std::make_unique<BinaryExpr>(line, kind, std::move(left), ParsePower());
    }
  }

  ExprPtr ParsePower() {
    ExprPtr left = ParseUnary(true);
    while (IsOp("**")) {
      int line = Next().line;
      left = std::make_unique<BinaryExpr>(line, BinaryOp::kPower, std::move(left), ParseUnary(true));
    }
    return left;
  }

  ExprPtr ParseUnary(bool with_filter) {
    ExprPtr node;
    if (IsOp("-") || IsOp("+")) {
      const Token& op = Next();
      node = std::make_unique<UnaryExpr>(op.line, op.text == "-" ? UnaryOp::kNegate : UnaryOp::kPlus, ParseUnary(false));
    } else {
      node = ParsePrimary();
    }
    node = ParsePostfix(std::move(node));
    if (with_filter) node = ParseFilterAndTests(std::move(node));
    return node;
  }

  ExprPtr ParsePrimary() {
    const Token& token = Peek();
    int line = token.line;
    switch (token.kind) {
      case TokenKind::kName: {
        std::string_view name = Next().text;
        if (name == "true" || name == "True") return std::make_unique<LiteralExpr>(line, Value(true));
        if (name == "false" || name == "False") return std::make_unique<LiteralExpr>(line, Value(false));
        if (name == "none" || name == "None") return std::make_unique<LiteralExpr>(line, Value::None());
        NoteName(name);
        return std::make_unique<NameExpr>(line, std::string(name));
      }
      case TokenKind::kString: {
        std::string value;
        while (Peek().kind == TokenKind::kString) value += Next().string_value;  // "a" "b" is "ab"
        return std::make_unique<LiteralExpr>(line, Value(std::move(value)));
      }
      case TokenKind::kInteger:
        return std::make_unique<LiteralExpr>(line, Value(Next().int_value));
      case TokenKind::kFloat:
        return std::make_unique<LiteralExpr>(line, Value(Next().float_value));
      case TokenKind::kOperator:
        if (token.text == "(") {
          Next();
          if (SkipOp(")")) return std::make_unique<ListExpr>(line, true);
          ExprPtr inner = ParseTuple(true);
          ExpectOp(")");
          return inner;
        }
        if (token.text == "[") {
          Next();
          auto list = std::make_unique<ListExpr>(line, false);
          while (!IsOp("]")) {
            list->items.push_back(ParseExpression(true));
            if (!SkipOp(",")) break;
          }
          ExpectOp("]");
          return list;
        }
        if (token.text == "{") {
          Next();
          auto dict = std::make_unique<DictExpr>(line);
          while (!IsOp("}")) {
            ExprPtr key = ParseExpression(true);
            ExpectOp(":");
            dict->items.emplace_back(std::move(key), ParseExpression(true));
            if (!SkipOp(",")) break;
          }
          ExpectOp("}");
          return dict;
        }
        break;
      default:
        break;
    }
    Unexpected("an expression");
  }

  // Remembers that the innermost macro reads varargs, kwargs or caller.
  void NoteName(std::string_view name) {
    if (macros_.empty()) return;
    if (name == "varargs") macros_.back()->uses_varargs = true;
    if (name == "kwargs") macros_.back()->uses_kwargs = true;
    if (name == "caller") macros_.back()->uses_caller = true;
  }

  ExprPtr ParsePostfix(ExprPtr node) {
    for (;;) {
      if (IsOp(".")) {
        int line = Next().line;
        if (Peek().kind == TokenKind::kInteger) {
          node = std::make_unique<IndexExpr>(line, std::move(node),
                                             std::make_unique<LiteralExpr>(line, Value(Next().int_value)));
        } else {
          node = std::make_unique<AttributeExpr>(line, std::move(node), ExpectName("an attribute name"));
        }
      } else if (IsOp("[")) {
        node = ParseSubscript(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr ParseSubscript(ExprPtr node) {
    int line = Next().line;  // [
    ExprPtr start;
    if (!IsOp(":")) start = ParseExpression(true);
    if (!IsOp(":")) {
      ExpectOp("]");
      return std::make_unique<IndexExpr>(line, std::move(node), std::move(start));
    }
    auto slice = std::make_unique<SliceExpr>(line, std::move(node));
    slice->start = std::move(start);
    Next();  // :
    if (!IsOp("]") && !IsOp(":")) slice->stop = ParseExpression(true);
    if (SkipOp(":") && !IsOp("]")) slice->step = ParseExpression(true);
    ExpectOp("]");
    return slice;
  }

  void ParseArguments(Arguments& args) {
    ExpectOp("(");
    while (!IsOp(")")) {
      if (SkipOp("*")) {
        args.star_args = ParseExpression(true);
      } else if (SkipOp("**")) {
        args.star_kwargs = ParseExpression(true);
      } else if (Peek().kind == TokenKind::kName && IsOp("=", 1)) {
        std::string name(Next().text);
        Next();  // =
        args.keyword.emplace_back(std::move(name), ParseExpression(true));
      } else {
        if (!args.keyword.empty()) Fail(Peek().line, "positional argument follows keyword argument");
        args.positional.push_back(ParseExpression(true));
      }
      if (!SkipOp(",")) break;
    }
    ExpectOp(")");
  }

  ExprPtr ParseCall(ExprPtr callee) {
    auto call = std::make_unique<CallExpr>(Peek().line, std::move(callee));
    ParseArguments(call->args);
    return call;
  }

  std::string ParseDottedName() {
    std::string name = ExpectName("a name");
    while (IsOp(".") && Peek(1).kind == TokenKind::kName) {
      Next();
      name += "." + std::string(Next().text);
    }
    return name;
  }

  // After the "|": name(args), then any further |name(args).
  ExprPtr ParseFilterChain(ExprPtr operand) {
    for (;;) {
      int line = Peek().line;
      std::string name = ParseDottedName();
      auto found = filters_.find(name);
      if (found == filters_.end()) Fail(line, fmt::format("no filter named '{}'", name));
      auto filter = std::make_unique<FilterExpr>(line, std::move(operand), name, &found->second);
      if (IsOp("(")) ParseArguments(filter->args);
      operand = std::move(filter);
      if (!SkipOp("|")) return operand;
    }
  }

  ExprPtr ParseFilterAndTests(ExprPtr node) {
    for (;;) {
      if (SkipOp("|")) {
        node = ParseFilterChain(std::move(node));
      } else if (IsName("is")) {
        node = ParseTest(std::move(node));
      } else if (IsOp("(")) {
        node = ParseCall(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr ParseTest(ExprPtr node) {
    int line = Next().line;  // is
    bool negated = SkipName("not");
    std::string name = ParseDottedName();
    auto found = tests_.find(name);
    if (found == tests_.end()) Fail(line, fmt::format("no test named '{}'", name));
    auto test = std::make_unique<TestExpr>(line, std::move(node), name, &found->second, negated);
    const Token& next = Peek();
    if (IsOp("(")) {
      ParseArguments(test->args);
    } else if ((next.kind == TokenKind::kName && next.text != "else" && next.text != "or" && next.text != "and" &&
                next.text != "if" && next.text != "is" && next.text != "in" && next.text != "not") ||
               next.kind == TokenKind::kString || next.kind == TokenKind::kInteger ||
               next.kind == TokenKind::kFloat || IsOp("[") || IsOp("{")) {
      test->args.positional.push_back(ParsePostfix(ParsePrimary()));  // x is divisibleby 3
    }
    return test;
  }

  TemplateData& data_;
  const FilterTable& filters_;
  const TestTable& tests_;
  std::vector<Token> tokens_;
  size_t index_ = 0;
  int loop_depth_ = 0;
  std::vector<MacroStmt*> macros_;  // the macros being parsed, innermost last
};

}  // namespace

std::shared_ptr<const TemplateData> ParseTemplate(std::string_view source, std::string file, const FilterTable& filters,
                                                  const TestTable& tests) {
  auto data = std::make_shared<TemplateData>();
  data->file = std::move(file);
  data->source = NormalizeSource(source);
  Parser(*data, filters, tests).Run();
  return data;
}

}  // namespace dlctl::jinja
