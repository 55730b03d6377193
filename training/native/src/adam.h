#pragma once
#include "common.h"

namespace lgg {
void adam_update(uint8_t *heap, const Params &p);
}  // namespace lgg
