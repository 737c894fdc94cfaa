/* Where an installed program finds its data and its sibling programs: relative to its own file
 * (/proc/self/exe), so an installed tree still works after it is moved. A program run from the
 * build tree has no installed data next to it and falls back to the source tree's. */
#ifndef CDRSIM_INSTALL_PATHS_H
#define CDRSIM_INSTALL_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The directory holding the running program, into out; false when it cannot be read. */
bool install_program_dir(char *out, size_t out_len);

/* <program dir>/<data_rel>/<sub> when that directory exists (data_rel is the path from the
 * installed bin/ to the installed data, like "../share/cdrsim"), otherwise `fallback`. The caller
 * frees the result; NULL only when out of memory. */
char *install_data_path(const char *data_rel, const char *sub, const char *fallback);

/* <program dir>/<name> when that file is executable, otherwise `fallback`. The caller frees the
 * result; NULL only when out of memory. */
char *install_sibling_program(const char *name, const char *fallback);

#endif
