/* output.h — what writers that cannot take a FILE * need of a bimo_output: libxlsxwriter
 * opens its file by name, so it is given the temporary name to write to. */
#ifndef BIMO_OUTPUT_H
#define BIMO_OUTPUT_H

#include "bimo.h"

/* The temporary file's name (owned by out), renamed into place by bimo_output_commit(). */
const char *bimo_output_temp_path(const bimo_output *out);

#endif
