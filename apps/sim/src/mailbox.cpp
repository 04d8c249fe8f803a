#include "mailbox.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>

#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/http/message.hpp"
#include "registry.hpp"

namespace ecpa::sim {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kReturnPath = "Return-Path: <";
constexpr std::string_view kDeliveredTo = "Delivered-To: ";
constexpr std::string_view kReceived = "X-Ecpa-Sim-Received: ";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string base64_decoded(std::string_view text, bool& ok) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n' && c != ' ' && c != '\t') compact += c;
  }
  try {
    auto bytes = crypto::from_base64(compact);
    ok = true;
    return {bytes.begin(), bytes.end()};
  } catch (const Error&) {
    ok = false;
    return {};
  }
}

// Quoted-printable (RFC 2045 §6.7): "=XX" is a byte, "=" at a line's end joins the lines; anything else
// (including a malformed "=") is taken as it is.
std::string quoted_printable_decoded(std::string_view text, bool underscore_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      std::string_view next = text.substr(i + 1);
      if (next.starts_with("\r\n")) {
        i += 2;
        continue;
      }
      if (next.starts_with('\n')) {
        i += 1;
        continue;
      }
      if (next.size() >= 2 && hex_value(next[0]) >= 0 && hex_value(next[1]) >= 0) {
        out += static_cast<char>(hex_value(next[0]) * 16 + hex_value(next[1]));
        i += 2;
        continue;
      }
    }
    out += c == '_' && underscore_is_space ? ' ' : c;
  }
  return out;
}

// One encoded word "=?charset?B|Q?text?=" at the start of `s`: its decoded bytes and its length, or
// false when `s` does not start with one we can read (then it is shown as text).
bool encoded_word(std::string_view s, std::string& decoded, std::size_t& length) {
  if (!s.starts_with("=?")) return false;
  auto q1 = s.find('?', 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  auto end = s.find("?=", q1 + 3);
  if (end == std::string_view::npos) return false;
  std::string charset = lower(s.substr(2, q1 - 2));
  charset = charset.substr(0, charset.find('*'));  // RFC 2231 language tag
  if (charset != "utf-8" && charset != "us-ascii") return false;
  std::string_view text = s.substr(q1 + 3, end - (q1 + 3));
  if (text.find_first_of(" \t") != std::string_view::npos) return false;
  char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
  if (encoding == 'B') {
    bool ok = false;
    decoded = base64_decoded(text, ok);
    if (!ok) return false;
  } else if (encoding == 'Q') {
    decoded = quoted_printable_decoded(text, true);
  } else {
    return false;
  }
  length = end + 2;
  return true;
}

struct Parts {
  std::vector<std::pair<std::string, std::string>> fields;  // unfolded
  std::string_view body;
};

Parts split(std::string_view raw) {
  Parts parts;
  std::size_t start = 0;
  while (start < raw.size()) {
    auto end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view line = raw.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    start = std::min(end + 1, raw.size());
    if (line.empty()) {
      parts.body = raw.substr(start);
      return parts;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !parts.fields.empty()) {
      parts.fields.back().second += line;  // unfolding (RFC 5322 §2.2.3) keeps the whitespace
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    parts.fields.emplace_back(std::string(trim(line.substr(0, colon))), std::string(line.substr(colon + 1)));
  }
  return parts;  // no empty line: headers only
}

std::string field(const Parts& parts, std::string_view name) {
  for (const auto& [n, v] : parts.fields) {
    if (http::iequals(n, name)) return std::string(trim(v));
  }
  return {};
}

std::string lf_line_ends(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

// "20260115T080000123Z-00000001": time to the millisecond, then the sequence, both fixed width, so that
// names sort as the messages arrived.
std::string new_id(Clock::time_point t, unsigned long sequence) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  char rest[32];
  std::snprintf(rest, sizeof rest, "%03dZ-%08lu", static_cast<int>(ms % 1000), sequence);
  return std::string(buf) + rest;
}

unsigned long sequence_of(std::string_view id) {
  auto dash = id.rfind('-');
  unsigned long n = 0;
  if (dash == std::string_view::npos) return 0;
  std::from_chars(id.data() + dash + 1, id.data() + id.size(), n);
  return n;
}

// An envelope address goes into a header line of the stored file: it must stay one line.
void check_envelope(std::string_view address) {
  bool plain = std::all_of(address.begin(), address.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7F && c != '<' && c != '>';
  });
  if (!plain) throw Error(codes::SIM_ARGUMENT_INVALID, "envelope address with spaces, controls or <>");
}

}  // namespace

std::string decode_encoded_words(std::string_view value) {
  std::string out;
  std::string pending_space;  // whitespace seen since the last word
  bool after_word = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ' ' || value[i] == '\t') {
      pending_space += value[i++];
      continue;
    }
    std::string decoded;
    std::size_t length = 0;
    if (encoded_word(value.substr(i), decoded, length)) {
      // Whitespace between two encoded words is only there to fold the line (RFC 2047 §6.2).
      if (!after_word) out += pending_space;
      out += decoded;
      after_word = true;
      i += length;
    } else {
      out += pending_space;
      auto end = value.find_first_of(" \t", i);
      if (end == std::string_view::npos) end = value.size();
      out += value.substr(i, end - i);
      after_word = false;
      i = end;
    }
    pending_space.clear();
  }
  return out;
}

DecodedMail decode_mail(std::string_view raw) {
  Parts parts = split(raw);
  DecodedMail mail;
  mail.subject = to_valid_utf8(decode_encoded_words(field(parts, "Subject")));
  std::string encoding = lower(field(parts, "Content-Transfer-Encoding"));
  std::string body(parts.body);
  if (encoding == "base64") {
    bool ok = false;
    std::string decoded = base64_decoded(parts.body, ok);
    if (ok) body = std::move(decoded);
  } else if (encoding == "quoted-printable") {
    body = quoted_printable_decoded(parts.body, false);
  }
  mail.body = to_valid_utf8(lf_line_ends(body));
  return mail;
}

Mailbox::Mailbox(fs::path dir, const Clock& clock, std::size_t max_kept)
    : dir_(std::move(dir)), clock_(clock), max_kept_(std::max<std::size_t>(max_kept, 1)) {
  std::error_code ec;
  if (!fs::exists(dir_)) {
    fs::create_directories(dir_, ec);
    // It holds reset links: one-time secrets of other people's accounts, even if only test accounts.
    if (!ec) fs::permissions(dir_, fs::perms::owner_all, ec);
  }
  if (ec) throw Error(codes::SIM_STATE_INVALID, "cannot create " + dir_.string() + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".eml") continue;
    try {
      messages_.push_back(read_eml(entry.path()));
    } catch (const Error&) {
      // Not one of ours (or half of one): left where it is, not listed.
    }
  }
  std::sort(messages_.begin(), messages_.end(),
            [](const ReceivedMail& a, const ReceivedMail& b) { return a.id < b.id; });
  for (const auto& m : messages_) next_sequence_ = std::max(next_sequence_, sequence_of(m.id) + 1);
  keep_newest();
}

ReceivedMail Mailbox::deliver(std::string envelope_from, std::vector<std::string> envelope_to,
                              std::string raw) {
  check_envelope(envelope_from);
  for (const auto& to : envelope_to) check_envelope(to);
  const auto now = clock_.now();
  ReceivedMail mail;
  // Whole seconds: what the file keeps, so a message reads the same before and after a restart.
  mail.received_at = std::chrono::floor<std::chrono::seconds>(now);
  mail.envelope_from = std::move(envelope_from);
  mail.envelope_to = std::move(envelope_to);
  auto decoded = decode_mail(raw);
  mail.subject = std::move(decoded.subject);
  mail.body = std::move(decoded.body);
  mail.raw = std::move(raw);

  std::string file = std::string(kReturnPath) + mail.envelope_from + ">\r\n";
  for (const auto& to : mail.envelope_to) file += std::string(kDeliveredTo) + to + "\r\n";
  file += std::string(kReceived) + to_iso8601(mail.received_at) + "\r\n";
  file += mail.raw;

  std::lock_guard lock(mutex_);
  mail.id = new_id(now, next_sequence_);
  write_private_file(dir_ / (mail.id + ".eml"), file);
  ++next_sequence_;
  messages_.push_back(mail);
  keep_newest();
  return mail;
}

std::vector<ReceivedMail> Mailbox::list(std::string_view to) const {
  std::lock_guard lock(mutex_);
  std::vector<ReceivedMail> out;
  for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
    bool match = to.empty() || std::any_of(it->envelope_to.begin(), it->envelope_to.end(),
                                           [&](const std::string& r) { return http::iequals(r, to); });
    if (match) out.push_back(*it);
  }
  return out;
}

void Mailbox::keep_newest() {
  while (messages_.size() > max_kept_) {
    std::error_code ignored;  // a file someone already removed is no reason to stop receiving
    fs::remove(dir_ / (messages_.front().id + ".eml"), ignored);
    messages_.erase(messages_.begin());
  }
}

ReceivedMail read_eml(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(codes::SIM_STATE_INVALID, "cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  std::string_view rest = text.view();
  auto line = [&](std::string_view prefix) -> std::optional<std::string> {
    auto end = rest.find("\r\n");
    if (!rest.starts_with(prefix) || end == std::string_view::npos) return std::nullopt;
    std::string value(rest.substr(prefix.size(), end - prefix.size()));
    rest.remove_prefix(end + 2);
    return value;
  };
  auto bad = [&](const char* what) { return Error(codes::SIM_STATE_INVALID, file.string() + ": " + what); };

  ReceivedMail mail;
  mail.id = file.stem().string();
  auto from = line(kReturnPath);
  if (!from || !from->ends_with('>')) throw bad("no Return-Path line");
  mail.envelope_from = from->substr(0, from->size() - 1);
  while (auto to = line(kDeliveredTo)) mail.envelope_to.push_back(*to);
  auto received = line(kReceived);
  if (!received) throw bad("no X-Ecpa-Sim-Received line");
  try {
    mail.received_at = parse_iso8601(*received);
  } catch (const Error&) {
    throw bad("unreadable X-Ecpa-Sim-Received");
  }
  mail.raw = std::string(rest);
  auto decoded = decode_mail(mail.raw);
  mail.subject = std::move(decoded.subject);
  mail.body = std::move(decoded.body);
  return mail;
}

}  // namespace ecpa::sim
