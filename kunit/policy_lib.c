// SPDX-License-Identifier: GPL-2.0-only
/* The test module's own copy of the portable policy code (policy/). */
#include "../policy/assets.c"
#include "../policy/compile.c"
#include "../policy/decide.c"
#include "../policy/parse.c"
#include "../policy/render.c"
