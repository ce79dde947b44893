// libqrencode (Debian: libqrencode-dev), which draws the QR codes Cadet shows.
#include <qrencode.h>
