#pragma once
#include "common.h"

namespace lgg {
void concat_rows(uint8_t *heap, const Params &p);
void split_rows(uint8_t *heap, const Params &p);
}  // namespace lgg
