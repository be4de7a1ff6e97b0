// Encoding detection and conversion on real files produced by the iconv program.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "labeling/import/encoding.h"
#include "support/test_support.h"

using namespace lb::labeling;

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes `utf8` to a file converted to `encoding` with iconv(1) and returns the bytes.
std::string encodeWithIconv(lb::test::TempDir& dir, const std::string& utf8, const std::string& encoding,
                            const std::string& prefix = "") {
  const std::string src = dir.file("src.txt"), dst = dir.file("dst.bin");
  std::ofstream(src, std::ios::binary) << utf8;
  const auto r = lb::test::run("iconv -f UTF-8 -t " + encoding + " " + src + " > " + dst);
  EXPECT_EQ(r.exitCode, 0) << r.output;
  return prefix + readAll(dst);
}

const std::string kChinese = "今天天气很好，我们去公园散步吧。\n北京是中国的首都。\n";

}  // namespace

TEST(Encoding, GbkFileIsDetectedAsGb18030AndDecoded) {
  lb::test::TempDir dir;
  const auto bytes = encodeWithIconv(dir, kChinese, "GBK");
  ASSERT_NE(bytes, kChinese);
  auto d = decodeText(bytes, "gbk.txt");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, kChinese);
}

TEST(Encoding, ShortGbkLineIsNotMistakenForALatinCodePage) {
  lb::test::TempDir dir;
  const auto bytes = encodeWithIconv(dir, "北京\n", "GBK");
  auto d = decodeText(bytes, "short.txt");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, "北京\n");
}

TEST(Encoding, Gb18030FourByteCharacters) {
  lb::test::TempDir dir;
  // U+20000 (𠀀) and € need GB18030's four-byte forms; mixed with ASCII.
  const std::string text = "hello 中文 \xF0\xA0\x80\x80 test 2024\n";
  const auto bytes = encodeWithIconv(dir, text, "GB18030");
  auto d = decodeText(bytes, "gb18030.txt");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->encoding, "GB18030");
  EXPECT_EQ(d->utf8, text);
}

TEST(Encoding, Utf16LittleAndBigEndianWithAndWithoutBom) {
  lb::test::TempDir dir;
  const std::string text = "第一行 line one\n第二行 😀 line two\n";
  struct Case {
    std::string iconvName, bom, expected;
  } cases[] = {
      {"UTF-16LE", "", "UTF-16LE"},
      {"UTF-16BE", "", "UTF-16BE"},
      {"UTF-16LE", "\xFF\xFE", "UTF-16LE"},
      {"UTF-16BE", "\xFE\xFF", "UTF-16BE"},
  };
  for (const auto& c : cases) {
    const auto bytes = encodeWithIconv(dir, text, c.iconvName, c.bom);
    auto d = decodeText(bytes, "u16.txt");
    ASSERT_TRUE(d) << c.iconvName << " bom=" << !c.bom.empty() << ": " << d.error().message;
    EXPECT_EQ(d->encoding, c.expected) << "bom=" << !c.bom.empty();
    EXPECT_EQ(d->utf8, text) << c.iconvName << " bom=" << !c.bom.empty();  // no U+FEFF left at the start
  }
}

TEST(Encoding, Utf8WithAndWithoutBom) {
  auto plain = decodeText(kChinese, "a.txt");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->encoding, "UTF-8");
  EXPECT_FALSE(plain->invalidUtf8);
  auto bom = decodeText("\xEF\xBB\xBF" + kChinese, "b.txt");
  ASSERT_TRUE(bom);
  EXPECT_EQ(bom->encoding, "UTF-8-BOM");
  EXPECT_EQ(bom->utf8, kChinese);
  auto ascii = decodeText("just ascii\n", "c.txt");
  ASSERT_TRUE(ascii);
  EXPECT_EQ(ascii->encoding, "UTF-8");
}

TEST(Encoding, BinaryIsRefusedWithTheFileNamed) {
  std::string bin;
  for (int i = 0; i < 600; ++i) bin.push_back(static_cast<char>((i * 7919) % 256));
  auto d = decodeText(bin, "photo.jpg.txt");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, lb::ErrorCode::BadInput);
  EXPECT_NE(d.error().message.find("photo.jpg.txt"), std::string::npos);
  EXPECT_NE(d.error().message.find("not a text file"), std::string::npos);
}

TEST(Encoding, TruncatedUtf16NamesTheProblem) {
  lb::test::TempDir dir;
  auto bytes = encodeWithIconv(dir, "abc def\nghi\n", "UTF-16LE", "\xFF\xFE");
  bytes.pop_back();
  auto d = decodeText(bytes, "cut.txt");
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().message.find("cut.txt"), std::string::npos);
  EXPECT_NE(d.error().message.find("truncated"), std::string::npos);
}

TEST(Encoding, BrokenGb18030ReportsLineAndByte) {
  lb::test::TempDir dir;
  auto bytes = encodeWithIconv(dir, "中文第一行\n中文第二行\n", "GB18030");
  const auto converted = convertToUtf8(bytes.substr(0, bytes.size() - 2), "GB18030", "cut.txt");
  ASSERT_FALSE(converted);
  EXPECT_NE(converted.error().message.find("cut.txt: line 2"), std::string::npos) << converted.error().message;
}

TEST(Encoding, MostlyUtf8WithOneBrokenByteStaysUtf8AndIsFlagged) {
  std::string s;
  for (int i = 0; i < 20; ++i) s += "第" + std::to_string(i) + "行\n";
  s += "bad \xFF line\n";
  auto d = decodeText(s, "m.txt");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->encoding, "UTF-8");
  EXPECT_TRUE(d->invalidUtf8);
}
