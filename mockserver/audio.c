#include "audio.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

uint8_t mock_audio_alaw(int16_t sample)
{
    /* Sign, then a 3-bit segment (the position of the highest set bit of the 12-bit magnitude)
     * and 4 bits of mantissa; even bits are inverted on the wire (XOR 0x55). */
    int pcm = sample >> 3; /* 13-bit range */
    uint8_t sign = 0x80;
    if (pcm < 0) {
        sign = 0;
        pcm = -pcm - 1;
    }
    if (pcm > 0xfff)
        pcm = 0xfff;
    uint8_t segment = 0;
    for (int v = pcm >> 5; v; v >>= 1)
        segment++;
    uint8_t mantissa = segment ? (uint8_t)(pcm >> segment & 0x0f) : (uint8_t)(pcm >> 1 & 0x0f);
    return (uint8_t)((sign | segment << 4 | mantissa) ^ 0x55);
}

unsigned char *mock_audio_wav(int64_t talk_seconds, enum mock_audio_codec codec, uint64_t seed,
                              size_t *len)
{
    int64_t seconds = talk_seconds < 1                        ? 1
                      : talk_seconds > MOCK_AUDIO_MAX_SECONDS ? MOCK_AUDIO_MAX_SECONDS
                                                              : talk_seconds;
    const bool alaw = codec == MOCK_AUDIO_ALAW;
    const unsigned bytes_per_sample = alaw ? 1 : 2;
    const uint32_t samples = (uint32_t)(seconds * MOCK_AUDIO_RATE);
    const uint32_t data_len = samples * bytes_per_sample;
    /* Non-PCM formats carry an 18-byte fmt chunk and a fact chunk (the sample count). */
    const uint32_t fmt_len = alaw ? 18 : 16;
    const uint32_t header_len = 12 + 8 + fmt_len + (alaw ? 12 : 0) + 8;
    unsigned char *wav = malloc(header_len + data_len);
    if (!wav)
        return NULL;
    unsigned char *p = wav;
    memcpy(p, "RIFF", 4);
    put32(p + 4, header_len - 8 + data_len);
    memcpy(p + 8, "WAVE", 4);
    p += 12;
    memcpy(p, "fmt ", 4);
    put32(p + 4, fmt_len);
    put16(p + 8, alaw ? 6 : 1);
    put16(p + 10, 1);
    put32(p + 12, MOCK_AUDIO_RATE);
    put32(p + 16, MOCK_AUDIO_RATE * bytes_per_sample);
    put16(p + 20, bytes_per_sample);
    put16(p + 22, bytes_per_sample * 8);
    if (alaw)
        put16(p + 24, 0);
    p += 8 + fmt_len;
    if (alaw) {
        memcpy(p, "fact", 4);
        put32(p + 4, 4);
        put32(p + 8, samples);
        p += 12;
    }
    memcpy(p, "data", 4);
    put32(p + 4, data_len);
    p += 8;

    /* A tone between 300 and 900 Hz, switched on and off in a rhythm of its own: enough to tell
     * two calls' recordings apart by ear or by hash, and deterministic per seed. */
    struct mock_rng rng;
    mock_rng_seed(&rng, seed);
    const double freq = 300.0 + (double)mock_rng_below(&rng, 600);
    const uint32_t beat = (uint32_t)(MOCK_AUDIO_RATE / 4 + mock_rng_below(&rng, MOCK_AUDIO_RATE));
    const double step = 2.0 * 3.14159265358979323846 * freq / MOCK_AUDIO_RATE;
    for (uint32_t i = 0; i < samples; i++) {
        bool on = (i / beat) % 3 != 2;
        int16_t s = on ? (int16_t)lrint(8000.0 * sin(step * (double)i)) : 0;
        if (alaw) {
            *p++ = mock_audio_alaw(s);
        } else {
            put16(p, (uint16_t)s);
            p += 2;
        }
    }
    *len = header_len + data_len;
    return wav;
}
