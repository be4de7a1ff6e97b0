#pragma once
// [SECTION] Text encodings at import: detect, convert to UTF-8, normalise to NFC.
//
// Detection order (first match wins):
//   1. a byte-order mark: UTF-8, UTF-16LE, UTF-16BE;
//   2. UTF-16 without a BOM, recognised by its NUL-byte pattern (ASCII, digits and line breaks
//      put a zero in every other byte; a file of only CJK characters without any line break or
//      ASCII has no such pattern and is not recognised — save it with a BOM);
//   3. valid UTF-8 (plain ASCII included);
//   4. GB18030 (a superset of GBK and GB2312) when the bytes decode strictly and most of the
//      non-ASCII characters are Chinese — uchardet alone takes short GBK lines for Latin
//      code pages;
//   5. uchardet's guess.
// A file that is mostly UTF-8 with a few broken sequences stays "UTF-8" with
// DecodedText::invalidUtf8 set, so the importer can reject only the broken lines or records.
//
// Threads: every function is pure and may be called from any thread.
#include <cstdint>
#include <string>
#include <string_view>

#include "labeling/result.h"

namespace lb::labeling {

struct DecodedText {
  std::string utf8;      // without BOM; line breaks as in the input; NOT yet NFC
  std::string encoding;  // recorded on the item: "UTF-8", "UTF-8-BOM", "UTF-16LE", "UTF-16BE", "GB18030", ...
  bool invalidUtf8 = false;  // only for "UTF-8": some byte sequences are broken (see above)
};

// Guesses the encoding name (iconv spelling) of `bytes`, or "" when the bytes are not text
// (NUL bytes without a UTF-16 pattern, many control characters) or nothing fits.
std::string detectEncoding(std::string_view bytes);

// Detects and converts. `name` (a file name) is used in error messages only. Errors
// (BadInput): not text, unknown encoding, or bytes that are invalid in the detected encoding;
// the message names the file, the byte offset and line, and what to do.
Result<DecodedText> decodeText(std::string_view bytes, const std::string& name);

// Converts from `encoding` (an iconv name) to UTF-8. Errors name the file, offset and line.
Result<std::string> convertToUtf8(std::string_view bytes, const std::string& encoding, const std::string& name);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
// On false, *badOffset (if given) is the offset of the first bad byte.
bool isValidUtf8(std::string_view s, std::size_t* badOffset = nullptr);

// Unicode NFC of valid UTF-8 (e.g. "e" + U+0301 becomes "é"). Input must be valid UTF-8.
std::string toNfc(std::string_view utf8);

// 1-based line number of byte `offset` in `bytes` (counting '\n').
std::int64_t lineOfOffset(std::string_view bytes, std::size_t offset);

}  // namespace lb::labeling
