// cairo and pango (Debian: libcairo2-dev, libpango1.0-dev), which lay out and print Cadet's
// certificates as PDF, with the Korean fonts of fonts-noto-cjk embedded.
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
