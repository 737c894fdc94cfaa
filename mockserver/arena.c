#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_BYTES = 1 << 20 };

struct mock_arena_block {
    struct mock_arena_block *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void mock_arena_init(struct mock_arena *arena)
{
    arena->head = NULL;
    arena->used = 0;
}

/* Strings need no alignment: packing them byte to byte saves a tenth of a generated dataset. */
static void *take(struct mock_arena *arena, size_t size, size_t align)
{
    arena->used = (arena->used + align - 1) & ~(align - 1);
    if (!arena->head || arena->used > arena->head->size || arena->head->size - arena->used < size) {
        size_t room = size > BLOCK_BYTES ? size : BLOCK_BYTES;
        struct mock_arena_block *b = malloc(sizeof(*b) + room);
        if (!b)
            return NULL;
        b->next = arena->head;
        b->size = room;
        arena->head = b;
        arena->used = 0;
    }
    void *p = arena->head->data + arena->used;
    arena->used += size;
    return p;
}

void *mock_arena_alloc(struct mock_arena *arena, size_t size)
{
    return take(arena, size, alignof(max_align_t));
}

char *mock_arena_strndup(struct mock_arena *arena, const char *text, size_t len)
{
    char *copy = take(arena, len + 1, 1);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

void mock_arena_free(struct mock_arena *arena)
{
    while (arena->head) {
        struct mock_arena_block *next = arena->head->next;
        free(arena->head);
        arena->head = next;
    }
    arena->used = 0;
}
