// OpenSSL's libcrypto, for SHA-256 (EVP interface).
#include <openssl/evp.h>
#include <openssl/sha.h>
