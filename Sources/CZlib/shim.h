// zlib (Debian's zlib1g-dev): gunzips the hibari voice's lexicon and tagger tables.
#include <zlib.h>
