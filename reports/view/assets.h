/* The script and the style sheet of the page that `coseval view` writes, compiled in from reports/view/view.js
 * and view.css (tools/embed.cmake); NUL-terminated, static. */
#ifndef COSEVAL_VIEW_ASSETS_H
#define COSEVAL_VIEW_ASSETS_H

extern const char cs_view_js[];
extern const char cs_view_css[];

#endif
