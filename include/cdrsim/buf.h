/* A growable byte buffer that stays NUL-terminated. After the first allocation failure every
 * further append is a no-op and `failed` stays set, so a caller can build a whole document and
 * check once at the end. */
#ifndef CDRSIM_BUF_H
#define CDRSIM_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cdr_buf {
    char *data; /* NUL-terminated once anything was appended; NULL before */
    size_t len;
    size_t cap;
    bool failed;
};

void cdr_buf_init(struct cdr_buf *buf);
bool cdr_buf_reserve(struct cdr_buf *buf, size_t extra);
bool cdr_buf_append(struct cdr_buf *buf, const void *data, size_t len);
bool cdr_buf_puts(struct cdr_buf *buf, const char *text);
bool cdr_buf_printf(struct cdr_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A decimal integer, without printf (pages append many). */
bool cdr_buf_int(struct cdr_buf *buf, int64_t value);
/* Appends text as a JSON string literal, quotes included, escaped as cJSON_PrintUnformatted
 * escapes (\" \\ \b \f \n \r \t, other controls \u00XX), so text written here matches what
 * cJSON printed; NULL appends `null`. */
bool cdr_buf_json_string(struct cdr_buf *buf, const char *text);
/* The same for len bytes of text, NUL bytes included (written as \u0000). */
bool cdr_buf_json_string_len(struct cdr_buf *buf, const char *text, size_t len);
/* Appends text as XML character data, fit for element content and quoted attribute values: the
 * five markup characters as the predefined entities (&amp; &lt; &gt; &quot; &apos;), tab, newline
 * and carriage return kept, and every byte XML 1.0 cannot carry written as '?': the other control
 * characters, NUL included, each byte of an invalid or overlong UTF-8 sequence, encoded
 * surrogates, and U+FFFE/U+FFFF. NULL appends nothing. */
bool cdr_buf_xml_text(struct cdr_buf *buf, const char *text);
/* The same for len bytes of text. */
bool cdr_buf_xml_text_len(struct cdr_buf *buf, const char *text, size_t len);
/* Hands the contents to the caller (free() it); the buffer is empty afterwards. Never NULL
 * unless the buffer failed: an untouched buffer yields "". */
char *cdr_buf_steal(struct cdr_buf *buf);
void cdr_buf_free(struct cdr_buf *buf);

#ifdef __cplusplus
}
#endif

#endif
