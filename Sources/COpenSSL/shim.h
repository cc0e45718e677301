#ifndef BERTH_COPENSSL_SHIM_H
#define BERTH_COPENSSL_SHIM_H
/* The low-level SHA256_CTX / SHA512_CTX API is deprecated in OpenSSL 3 but is the only one whose context is a
   plain struct that can be saved and restored (resumable uploads). Silence the deprecation for this header. */
#ifndef OPENSSL_SUPPRESS_DEPRECATED
#define OPENSSL_SUPPRESS_DEPRECATED 1
#endif
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/sha.h>

/* Resumable SHA-256 / SHA-512 over caller-owned context memory (BerthCrypto). */
static inline size_t berth_sha256_ctx_size(void) { return sizeof(SHA256_CTX); }
static inline size_t berth_sha512_ctx_size(void) { return sizeof(SHA512_CTX); }
static inline int berth_sha256_init(void *ctx) { return SHA256_Init((SHA256_CTX *)ctx); }
static inline int berth_sha512_init(void *ctx) { return SHA512_Init((SHA512_CTX *)ctx); }
static inline int berth_sha256_update(void *ctx, const void *data, size_t len) {
    return SHA256_Update((SHA256_CTX *)ctx, data, len);
}
static inline int berth_sha512_update(void *ctx, const void *data, size_t len) {
    return SHA512_Update((SHA512_CTX *)ctx, data, len);
}
static inline int berth_sha256_final(void *ctx, unsigned char *md) { return SHA256_Final(md, (SHA256_CTX *)ctx); }
static inline int berth_sha512_final(void *ctx, unsigned char *md) { return SHA512_Final(md, (SHA512_CTX *)ctx); }
/* A restored context is only used if its buffered byte count and digest length are sane. */
static inline int berth_sha256_valid(const void *ctx) {
    const SHA256_CTX *c = (const SHA256_CTX *)ctx;
    return c->num < SHA256_CBLOCK && c->md_len == SHA256_DIGEST_LENGTH;
}
static inline int berth_sha512_valid(const void *ctx) {
    const SHA512_CTX *c = (const SHA512_CTX *)ctx;
    return c->num < SHA512_CBLOCK && c->md_len == SHA512_DIGEST_LENGTH;
}
#endif
