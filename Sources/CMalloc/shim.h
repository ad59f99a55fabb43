// glibc's malloc extensions (malloc_trim), which Swift's Glibc module does not expose: the model
// manager gives freed model memory back to the system after a release.
#include <malloc.h>
