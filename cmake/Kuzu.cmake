# Kùzu 0.11.3: its C++ API comes inside the npm package's prebuilt Node addon (kuzujs.node, whose
# SONAME is that file name). The addon references Node's N-API symbols, which dlctl never calls:
# a generated library defines each of them as an abort so the linker and the loader are satisfied.
set(KUZU_ROOT "${THIRD_PARTY_DIR}/kuzu")
if(NOT EXISTS "${KUZU_ROOT}/lib/kuzujs.node")
  message(FATAL_ERROR "Kuzu not found in ${THIRD_PARTY_DIR}: run scripts/install-deps.sh (or make deps)")
endif()

execute_process(COMMAND nm -D --undefined-only "${KUZU_ROOT}/lib/kuzujs.node"
                OUTPUT_VARIABLE kuzu_undefined RESULT_VARIABLE nm_result)
if(NOT nm_result EQUAL 0)
  message(FATAL_ERROR "nm could not read ${KUZU_ROOT}/lib/kuzujs.node")
endif()
string(REGEX MATCHALL "napi_[A-Za-z0-9_]+" napi_symbols "${kuzu_undefined}")
list(REMOVE_DUPLICATES napi_symbols)
string(CONCAT stub_source "#include <stdio.h>\n#include <stdlib.h>\n\n"
              "static void napi_stub(const char* name) {\n"
              "  fprintf(stderr, \"kuzu: N-API function %s called outside Node\\n\", name);\n"
              "  abort();\n}\n\n")
foreach(symbol IN LISTS napi_symbols)
  string(APPEND stub_source "void ${symbol}(void) { napi_stub(\"${symbol}\"); }\n")
endforeach()
file(WRITE "${CMAKE_BINARY_DIR}/kuzu_napi_stub.c.new" "${stub_source}")
configure_file("${CMAKE_BINARY_DIR}/kuzu_napi_stub.c.new" "${CMAKE_BINARY_DIR}/kuzu_napi_stub.c" COPYONLY)

add_library(kuzu_napi_stub SHARED "${CMAKE_BINARY_DIR}/kuzu_napi_stub.c")
add_library(kuzu SHARED IMPORTED GLOBAL)
set_target_properties(kuzu PROPERTIES
  IMPORTED_LOCATION "${KUZU_ROOT}/lib/kuzujs.node"
  IMPORTED_SONAME kuzujs.node
  INTERFACE_INCLUDE_DIRECTORIES "${KUZU_ROOT}/include")
target_link_libraries(kuzu INTERFACE kuzu_napi_stub)
