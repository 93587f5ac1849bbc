// The site's files as bytes of this object file: the assembler's .incbin copies each one in at
// build time (CMake rebuilds this file when one of them changes), so nothing is read at run time.
#include "docs/site_assets.h"

// DLCTL_DOCS_SITE_DIR (src/docs/site) and DLCTL_DOCS_JS_DIR (third_party/docs-js) come from CMake.
#define DLCTL_EMBED(symbol, file)                                         \
  __asm__(".section .rodata\n"                                            \
          ".balign 16\n"                                                  \
          ".type " #symbol ", @object\n" #symbol ":\n"                    \
          ".incbin \"" file "\"\n" #symbol "_end:\n"                      \
          ".previous\n");                                                 \
  extern "C" const char symbol[];                                         \
  extern "C" const char symbol##_end[];

DLCTL_EMBED(dlctl_docs_index_html, DLCTL_DOCS_SITE_DIR "/index.html")
DLCTL_EMBED(dlctl_docs_app_js, DLCTL_DOCS_SITE_DIR "/app.js")
DLCTL_EMBED(dlctl_docs_style_css, DLCTL_DOCS_SITE_DIR "/style.css")
DLCTL_EMBED(dlctl_docs_cytoscape_js, DLCTL_DOCS_JS_DIR "/cytoscape.min.js")
DLCTL_EMBED(dlctl_docs_cytoscape_license, DLCTL_DOCS_JS_DIR "/cytoscape.LICENSE")
DLCTL_EMBED(dlctl_docs_cytoscape_dagre_js, DLCTL_DOCS_JS_DIR "/cytoscape-dagre.min.js")
DLCTL_EMBED(dlctl_docs_cytoscape_dagre_license, DLCTL_DOCS_JS_DIR "/cytoscape-dagre.LICENSE")

namespace dlctl::docs {
namespace {

std::string_view Bytes(const char* begin, const char* end) {
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

}  // namespace

const std::vector<SiteFile>& SiteFiles() {
  static const std::vector<SiteFile> files = {
      {"index.html", Bytes(dlctl_docs_index_html, dlctl_docs_index_html_end), "text/html; charset=utf-8"},
      {"app.js", Bytes(dlctl_docs_app_js, dlctl_docs_app_js_end), "text/javascript; charset=utf-8"},
      {"style.css", Bytes(dlctl_docs_style_css, dlctl_docs_style_css_end), "text/css; charset=utf-8"},
      {"lib/cytoscape.min.js", Bytes(dlctl_docs_cytoscape_js, dlctl_docs_cytoscape_js_end),
       "text/javascript; charset=utf-8"},
      {"lib/cytoscape.LICENSE", Bytes(dlctl_docs_cytoscape_license, dlctl_docs_cytoscape_license_end),
       "text/plain; charset=utf-8"},
      {"lib/cytoscape-dagre.min.js", Bytes(dlctl_docs_cytoscape_dagre_js, dlctl_docs_cytoscape_dagre_js_end),
       "text/javascript; charset=utf-8"},
      {"lib/cytoscape-dagre.LICENSE", Bytes(dlctl_docs_cytoscape_dagre_license, dlctl_docs_cytoscape_dagre_license_end),
       "text/plain; charset=utf-8"},
  };
  return files;
}

}  // namespace dlctl::docs
