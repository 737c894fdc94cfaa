/* One arena per dataset: many small allocations that all live as long as the dataset, carved
 * from large blocks and freed together. A million records then cost no per-allocation header
 * and no million calls to free. Not thread-safe: filled at load (or under the vendor's gate). */
#ifndef MOCK_ARENA_H
#define MOCK_ARENA_H

#include <stddef.h>

struct mock_arena_block;

struct mock_arena {
    struct mock_arena_block *head; /* the block being filled; earlier ones chained behind it */
    size_t used;                   /* bytes of head given out */
};

void mock_arena_init(struct mock_arena *arena);
/* size bytes aligned for any type, owned by the arena; NULL when out of memory. */
void *mock_arena_alloc(struct mock_arena *arena, size_t size);
/* A copy of text (len bytes, then a NUL) in the arena; NULL when out of memory. */
char *mock_arena_strndup(struct mock_arena *arena, const char *text, size_t len);
void mock_arena_free(struct mock_arena *arena);

#endif
