/* A file name suffix for a downloaded recording, shared by every vendor's download call: the one
 * the link itself ends with, else one that fits the type the server sent. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

/* A file name suffix: the link's own (".wav" of ".../x.wav?sig=..."), else one for its type. */
void cdr__recording_extension(const char *url, const char *type, char out[16])
{
    size_t end = strcspn(url, "?#");
    size_t slash = end;
    while (slash > 0 && url[slash - 1] != '/')
        slash--;
    const char *dot = NULL;
    for (size_t i = slash; i < end; i++)
        if (url[i] == '.')
            dot = url + i;
    size_t n = dot ? (size_t)(url + end - dot) : 0;
    bool plain = n >= 2 && n < 16;
    for (size_t i = 1; plain && i < n; i++)
        plain = isalnum((unsigned char)dot[i]) != 0;
    if (plain) {
        for (size_t i = 0; i < n; i++)
            out[i] = (char)tolower((unsigned char)dot[i]);
        out[n] = '\0';
        return;
    }
    snprintf(out, 16, "%s",
             strstr(type, "wav")                           ? ".wav"
             : strstr(type, "mpeg") || strstr(type, "mp3") ? ".mp3"
                                                           : ".bin");
}
