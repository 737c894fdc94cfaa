/* The recordings' audio: G.711 A-law against the reference encoder's known values, and WAV files
 * whose headers a player would accept, sized by talk time and the same for the same seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static void test_alaw_reference_values(void **state)
{
    (void)state;
    /* Values of the classic linear2alaw (CCITT G.711 reference code). */
    static const struct {
        int16_t pcm;
        uint8_t alaw;
    } cases[] = {
        {0, 0xd5},     {-1, 0x55},     {8, 0xd5},      {-8, 0x55},    {17, 0xd4},     {-17, 0x54},
        {255, 0xda},   {256, 0xc5},    {1000, 0xfa},   {-1000, 0x7a}, {4095, 0x9a},   {4096, 0x85},
        {32767, 0xaa}, {-32768, 0x2a}, {-32767, 0x2a}, {16000, 0xba}, {-16000, 0x3a},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint8_t got = mock_audio_alaw(cases[i].pcm);
        if (got != cases[i].alaw)
            fail_msg("A-law of %d: got 0x%02x, expected 0x%02x", cases[i].pcm, got, cases[i].alaw);
    }
}

static void check_wav(const unsigned char *wav, size_t len, unsigned format, unsigned bits,
                      uint32_t seconds)
{
    assert_memory_equal(wav, "RIFF", 4);
    assert_int_equal(le32(wav + 4), len - 8);
    assert_memory_equal(wav + 8, "WAVEfmt ", 8);
    uint32_t fmt_len = le32(wav + 16);
    assert_int_equal(le16(wav + 20), format);
    assert_int_equal(le16(wav + 22), 1);
    assert_int_equal(le32(wav + 24), MOCK_AUDIO_RATE);
    assert_int_equal(le32(wav + 28), MOCK_AUDIO_RATE * bits / 8);
    assert_int_equal(le16(wav + 32), bits / 8);
    assert_int_equal(le16(wav + 34), bits);
    const unsigned char *p = wav + 20 + fmt_len;
    if (format != 1) {
        assert_memory_equal(p, "fact", 4);
        assert_int_equal(le32(p + 8), seconds * MOCK_AUDIO_RATE);
        p += 12;
    }
    assert_memory_equal(p, "data", 4);
    assert_int_equal(le32(p + 4), seconds * MOCK_AUDIO_RATE * bits / 8);
    assert_int_equal((size_t)(p + 8 - wav) + le32(p + 4), len);
}

static void test_wav_alaw_and_pcm(void **state)
{
    (void)state;
    size_t len;
    unsigned char *a = mock_audio_wav(3, MOCK_AUDIO_ALAW, 42, &len);
    assert_non_null(a);
    check_wav(a, len, 6, 8, 3);
    free(a);
    unsigned char *p = mock_audio_wav(2, MOCK_AUDIO_PCM16, 42, &len);
    assert_non_null(p);
    check_wav(p, len, 1, 16, 2);
    free(p);
}

static void test_wav_length_follows_talk_time(void **state)
{
    (void)state;
    size_t len;
    unsigned char *w = mock_audio_wav(0, MOCK_AUDIO_ALAW, 1, &len);
    check_wav(w, len, 6, 8, 1); /* at least a second */
    free(w);
    w = mock_audio_wav(7, MOCK_AUDIO_ALAW, 1, &len);
    check_wav(w, len, 6, 8, 7);
    free(w);
    w = mock_audio_wav(3600, MOCK_AUDIO_ALAW, 1, &len);
    check_wav(w, len, 6, 8, MOCK_AUDIO_MAX_SECONDS);
    free(w);
}

static void test_wav_deterministic_per_seed(void **state)
{
    (void)state;
    size_t l1, l2, l3;
    unsigned char *a = mock_audio_wav(5, MOCK_AUDIO_ALAW, 50180345, &l1);
    unsigned char *b = mock_audio_wav(5, MOCK_AUDIO_ALAW, 50180345, &l2);
    unsigned char *c = mock_audio_wav(5, MOCK_AUDIO_ALAW, 50180346, &l3);
    assert_int_equal(l1, l2);
    assert_memory_equal(a, b, l1);
    assert_int_equal(l1, l3);
    assert_true(memcmp(a, c, l1) != 0);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alaw_reference_values),
        cmocka_unit_test(test_wav_alaw_and_pcm),
        cmocka_unit_test(test_wav_length_follows_talk_time),
        cmocka_unit_test(test_wav_deterministic_per_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
