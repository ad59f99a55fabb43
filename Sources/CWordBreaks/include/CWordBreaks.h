#ifndef AISHORTS_CWORDBREAKS_H
#define AISHORTS_CWORDBREAKS_H

#include <stdint.h>

/// Finds the word boundaries of `text` (UTF-16, `length` code units) with ICU's word break iterator
/// for `locale` (`ja`, `zh`, `th`), which uses ICU's dictionaries for scripts written without spaces.
///
/// Writes at most `capacity` boundary offsets (UTF-16 code units, the first is 0 and the last is
/// `length`) into `breaks` and returns how many it wrote, or -1 when ICU cannot make the iterator.
int32_t aishorts_word_breaks(const char *locale, const uint16_t *text, int32_t length, int32_t *breaks, int32_t capacity);

#endif
