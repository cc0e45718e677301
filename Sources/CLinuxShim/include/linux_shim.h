#ifndef BERTH_LINUX_SHIM_H
#define BERTH_LINUX_SHIM_H
// Declarations only: _GNU_SOURCE is defined for the .c file, never in this header (DESIGN.md §6.1).
int berth_shim_placeholder(void);
#endif
