#ifndef LOCO_CCURL_SHIM_H
#define LOCO_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
// these typed wrappers are the only C the project needs.
static inline CURLcode loco_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode loco_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode loco_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode loco_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode loco_setopt_write_function(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode loco_setopt_xferinfo_function(CURL *h, int (*f)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    CURLcode c = curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    if (c != CURLE_OK) return c;
    return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f);
}
static inline CURLcode loco_setopt_postfields(CURL *h, const void *data, long length) {
    CURLcode c = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, length);
    if (c != CURLE_OK) return c;
    return curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, data);
}
static inline long loco_response_code(CURL *h) {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
#endif
