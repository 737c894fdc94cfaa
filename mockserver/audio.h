/* The audio every simulated recording resolves to: a small, valid WAV file, the same bytes for the
 * same call on every run, whose length follows the call's talk time (capped, so a crawl that saves
 * every recording stays quick). */
#ifndef MOCK_AUDIO_H
#define MOCK_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#define MOCK_AUDIO_RATE 8000      /* telephone audio: 8 kHz mono */
#define MOCK_AUDIO_MAX_SECONDS 10 /* longer calls get this much audio */

enum mock_audio_codec {
    MOCK_AUDIO_PCM16, /* linear 16-bit PCM (WAVE format 1) */
    MOCK_AUDIO_ALAW,  /* G.711 A-law, 8 bits a sample (WAVE format 6), as call centers record */
};

/* A WAV file of min(talk_seconds, MOCK_AUDIO_MAX_SECONDS) seconds (at least one) of a tone whose
 * pitch and rhythm derive from seed (a call's id). Caller frees; NULL when out of memory. */
unsigned char *mock_audio_wav(int64_t talk_seconds, enum mock_audio_codec codec, uint64_t seed,
                              size_t *len);

/* G.711 A-law encoding of one linear 16-bit sample (ITU-T G.711, table 1a). */
uint8_t mock_audio_alaw(int16_t sample);

#endif
