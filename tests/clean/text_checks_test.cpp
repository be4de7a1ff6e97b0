// Text checks on texts made in the test with a known answer.
#include <gtest/gtest.h>

#include <unicode/ucnv.h>

#include "clean_fixture.h"
#include "qc/clean/clean_service.h"
#include "qc/clean/findings_repository.h"
#include "qc/clean/pii.h"
#include "qc/clean/text_actions.h"
#include "qc/clean/text_normalize.h"
#include "qc/clean/text_quality.h"

using namespace lb::labeling;
namespace clean = lb::qc::clean;

namespace {

// Decodes bytes with an ICU converter, the way a program with the wrong charset would.
std::string misread(const std::string& bytes, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset, &err);
  std::u16string u(bytes.size() * 2 + 4, u'\0');
  const int32_t n = ucnv_toUChars(conv, reinterpret_cast<UChar*>(u.data()), static_cast<int32_t>(u.size()), bytes.data(),
                                  static_cast<int32_t>(bytes.size()), &err);
  ucnv_close(conv);
  u.resize(n);
  std::u32string cps;
  for (std::size_t i = 0; i < u.size(); ++i) {
    char32_t c = u[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < u.size()) c = 0x10000 + ((c - 0xD800) << 10) + (u[++i] - 0xDC00);
    cps.push_back(c);
  }
  return clean::toUtf8(cps);
}

std::string encodeAs(const std::string& utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset, &err);
  std::string out(utf8.size() * 2 + 8, '\0');
  UConverter* from = ucnv_open("UTF-8", &err);
  std::u16string u(utf8.size() + 4, u'\0');
  const int32_t n16 = ucnv_toUChars(from, reinterpret_cast<UChar*>(u.data()), static_cast<int32_t>(u.size()), utf8.data(),
                                    static_cast<int32_t>(utf8.size()), &err);
  const int32_t n = ucnv_fromUChars(conv, out.data(), static_cast<int32_t>(out.size()), reinterpret_cast<UChar*>(u.data()), n16, &err);
  ucnv_close(conv);
  ucnv_close(from);
  out.resize(n);
  return out;
}

std::u32string cp(const std::string& s) { return clean::toCodePoints(s); }

}  // namespace

TEST(TextNormalise, WidthCaseSpacesAndPunctuationDoNotMatter) {
  EXPECT_EQ(clean::duplicateForm("Ｈｅｌｌｏ， 世界！ ２０２４"), clean::duplicateForm("hello世界2024"));
  EXPECT_EQ(clean::duplicateForm("  今天天气很好。\n"), clean::duplicateForm("今天 天气 很好"));
  EXPECT_NE(clean::duplicateForm("今天天气很好"), clean::duplicateForm("今天天气不好"));
}

TEST(TextNearDuplicates, MinHashFindsEditedCopiesNotStrangers) {
  std::vector<std::u32string> forms = {
      clean::duplicateForm("北京市今天发布了关于加强城市交通管理的通知，要求各单位认真落实。"),
      clean::duplicateForm("北京市今天发布了关于加强城市交通管理的通知，要求各单位认真落实！！"),
      clean::duplicateForm("北京市昨天发布了关于加强城市交通管理的通知，要求各单位认真落实。"),
      clean::duplicateForm("上海的小笼包非常有名，很多游客专门排队品尝。"),
      clean::duplicateForm("深度学习模型需要大量标注数据才能取得良好效果。"),
  };
  const auto pairs = clean::findNearTexts(forms, 0.7);
  std::set<std::pair<std::uint32_t, std::uint32_t>> got;
  for (const auto& p : pairs) got.insert({p.a, p.b});
  EXPECT_EQ(got, (std::set<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {0, 2}, {1, 2}}));
}

TEST(Pii, ResidentIdChecksumAndDate) {
  EXPECT_TRUE(clean::isValidResidentId(cp("11010519491231002X")));
  EXPECT_TRUE(clean::isValidResidentId(cp("11010519491231002x")));
  EXPECT_FALSE(clean::isValidResidentId(cp("110105194912310021"))) << "wrong check character";
  EXPECT_FALSE(clean::isValidResidentId(cp("11010519491331002X"))) << "month 13";
  EXPECT_TRUE(clean::isValidResidentId(cp("440524188001010014")));
  EXPECT_FALSE(clean::isValidResidentId(cp("440524188001010015")));
}

TEST(Pii, BankCardLuhn) {
  EXPECT_TRUE(clean::isValidBankCard(cp("4111111111111111")));
  EXPECT_TRUE(clean::isValidBankCard(cp("6011000990139424")));
  EXPECT_FALSE(clean::isValidBankCard(cp("4111111111111112")));
  EXPECT_FALSE(clean::isValidBankCard(cp("411111111111111"))) << "15 digits";
}

TEST(Pii, FindsAndMasksKeepingLength) {
  const std::string text = "联系人张三，手机13812345678，身份证11010519491231002X，卡号4111 1111 1111 1111，邮箱zhang.san@example.com；"
                           "订单号201812345678901234不是身份证，电话12345678901不是手机。";
  const auto cps = cp(text);
  const auto matches = clean::findPii(cps);
  std::vector<std::string> kinds;
  for (const auto& m : matches) kinds.emplace_back(clean::toString(m.kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"mobile", "resident_id", "bank_card", "email"}));
  const auto masked = clean::toUtf8(clean::maskPii(cps, matches));
  EXPECT_EQ(clean::toCodePoints(masked).size(), cps.size());
  EXPECT_NE(masked.find("138****5678"), std::string::npos) << masked;
  EXPECT_NE(masked.find("110105********002X"), std::string::npos) << masked;
  EXPECT_NE(masked.find("4111 **** **** 1111"), std::string::npos) << masked;
  EXPECT_NE(masked.find("z********@example.com"), std::string::npos) << masked;
  EXPECT_NE(masked.find("201812345678901234"), std::string::npos) << "invalid ID numbers stay";
}

TEST(Mojibake, DetectsWrongDecodesAndLeavesCleanTextAlone) {
  const std::string chinese = "今天我们发布了新的数据标注工具，欢迎大家试用并提出意见。";
  const std::string utf8ReadAsGbk = misread(chinese, "GBK");
  EXPECT_GT(clean::mojibakeScore(utf8ReadAsGbk), 5) << utf8ReadAsGbk;
  const std::string utf8ReadAsLatin = misread("Café déjà vu, naïve résumé", "windows-1252");
  EXPECT_GT(clean::mojibakeScore(utf8ReadAsLatin), 3) << utf8ReadAsLatin;
  const std::string gbkReadAsLatin = misread(encodeAs(chinese, "GBK"), "windows-1252");
  EXPECT_GT(clean::mojibakeScore(gbkReadAsLatin), 5) << gbkReadAsLatin;
  EXPECT_GE(clean::mojibakeScore("文件名：锟斤拷锟斤拷.txt"), 6);
  EXPECT_GE(clean::mojibakeScore("abc\xEF\xBF\xBD def"), 1);
  EXPECT_EQ(clean::mojibakeScore(chinese), 0);
  EXPECT_EQ(clean::mojibakeScore("Café déjà vu, naïve résumé — “quoted”"), 0);
  EXPECT_EQ(clean::mojibakeScore("繁體中文的內容也沒有問題。日本語のテキストも大丈夫です。"), 0);
}

TEST(OpenCC, DetectsTraditionalAndConverts) {
  auto t2s = clean::ChineseConverter::open(clean::ChineseScript::Simplified);
  ASSERT_TRUE(t2s) << t2s.error().message;
  EXPECT_EQ((*t2s)->convert("漢字簡體轉換"), "汉字简体转换");
  EXPECT_GT(clean::traditionalFraction(**t2s, "這是一個繁體中文的句子，請轉換。"), 0.2);
  EXPECT_EQ(clean::traditionalFraction(**t2s, "这是一个简体中文的句子，请转换。"), 0.0);
  EXPECT_EQ(clean::traditionalFraction(**t2s, "plain English"), 0.0);
}

TEST(TextChecks, StoredFindingsForEachCheck) {
  lb::test::CleanProject p;
  const auto a = p.addText("今天天气很好，我们去公园散步吧。", "a");
  const auto b = p.addText("今天天气很好，我们去公园散步吧！", "b");        // exact after normalisation
  const auto c = p.addText("今天天气很好，我们去公园散步。", "c");          // near
  const auto empty = p.addText("   ", "empty");
  const auto moj = p.addText(misread("这是一段乱码测试文本，用来检查编码问题。", "GBK"), "moj");
  const auto trad = p.addText("這是一個繁體中文的句子，請轉換成簡體。", "trad");
  const auto pii = p.addText("请联系13812345678或者发邮件到someone@example.org。", "pii");
  const std::string para = "这一段话在同一篇文章里出现了两次，属于重复段落。";
  const auto rep = p.addText(para + "\n中间的内容\n" + para, "rep");
  std::vector<ItemId> pages;
  for (int i = 0; i < 4; ++i)
    pages.push_back(p.addText("阅读量：1234\n第" + std::to_string(i) + "篇文章的正文内容各不相同，主题是" + std::to_string(i * 7) +
                                  "号话题。\n加载中…",
                              "page" + std::to_string(i)));
  auto run = clean::runChecks(p.store(), {});
  ASSERT_TRUE(run) << run.error().message;
  auto report = clean::buildReport(p.store(), clean::Thresholds{}, {}, 10);
  ASSERT_TRUE(report);
  auto byName = [&](std::string_view n) -> const clean::CheckReport& {
    for (const auto& c : report->checks)
      if (c.spec->name == n) return c;
    throw std::runtime_error("no check");
  };
  ASSERT_EQ(byName("text_exact_dup").groups.size(), 1u);
  EXPECT_EQ(byName("text_exact_dup").groups[0].members, (std::vector<ItemId>{a, b}));
  ASSERT_EQ(byName("text_near_dup").groups.size(), 1u);
  EXPECT_EQ(byName("text_near_dup").groups[0].members, (std::vector<ItemId>{a, b, c}));
  EXPECT_EQ(byName("too_short").examples, (std::vector<ItemId>{empty}));
  EXPECT_EQ(byName("mojibake").examples, (std::vector<ItemId>{moj}));
  EXPECT_EQ(byName("traditional").examples, (std::vector<ItemId>{trad}));
  EXPECT_EQ(byName("pii").examples, (std::vector<ItemId>{pii}));
  EXPECT_EQ(byName("repeated_paragraph").examples, (std::vector<ItemId>{rep}));
  EXPECT_EQ(byName("boilerplate").examples, pages);
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_NE(repo->row("boilerplate", pages[0])->detailJson.find("阅读量"), std::string::npos);
}

TEST(TextActions, MaskKeepsOriginalForLeadOnlyAndConvertChangesScript) {
  lb::test::CleanProject p;
  const std::string original = "客户手机13812345678，身份证11010519491231002X。";
  const auto id = p.addText(original, "x");
  const auto trad = p.addText("這是繁體。", "t");
  ASSERT_TRUE(clean::runChecks(p.store(), {{"pii", "traditional"}, nullptr}));

  auto denied = clean::applyTextAction(p.store(), clean::TextAction::MaskPii, {}, p.annotator());
  ASSERT_FALSE(denied);
  auto masked = clean::applyTextAction(p.store(), clean::TextAction::MaskPii, {}, p.lead());
  ASSERT_TRUE(masked) << masked.error().message;
  EXPECT_EQ(masked->changed, 1);
  const auto seen = p.store().item(id)->text;
  EXPECT_EQ(seen, "客户手机138****5678，身份证110105********002X。");
  EXPECT_EQ(p.store().items(ItemFilter{}).size(), 2u);
  // The original is there for the lead, not for an annotator.
  EXPECT_EQ(*clean::originalText(p.store(), id, p.lead()), original);
  auto annotatorView = clean::originalText(p.store(), id, p.annotator());
  ASSERT_FALSE(annotatorView);
  EXPECT_EQ(annotatorView.error().code, lb::ErrorCode::Conflict);
  // Re-running the checks finds nothing left and keeps the saved original.
  ASSERT_TRUE(clean::runChecks(p.store(), {{"pii"}, nullptr}));
  auto repo = clean::FindingsRepository::open(p.store());
  EXPECT_FALSE(repo->row("pii", id));
  ASSERT_TRUE(clean::restoreOriginalText(p.store(), id, p.lead()));
  EXPECT_EQ(p.store().item(id)->text, original);

  auto conv = clean::applyTextAction(p.store(), clean::TextAction::ToSimplified, {trad}, p.lead());
  ASSERT_TRUE(conv);
  EXPECT_EQ(p.store().item(trad)->text, "这是繁体。");
  EXPECT_EQ(*clean::originalText(p.store(), trad, p.lead()), "這是繁體。");
}
