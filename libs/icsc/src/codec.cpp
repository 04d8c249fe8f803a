#include "ecpa/icsc/codec.hpp"

#include <algorithm>
#include <optional>

#include "ecpa/crypto/bytes.hpp"

namespace ecpa::icsc {
namespace {

// Longest value of a free-text field of an answer (ReqTime, an echoed SN): generous, but bounded.
constexpr std::size_t kMaxAnswerValueChars = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool all(std::string_view s, std::size_t min, std::size_t max, bool (*pred)(char)) {
  return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), pred);
}

// A value of an answer: printable ASCII without markup, so it reads the same everywhere it is shown.
bool is_answer_text(std::string_view s) {
  return all(s, 1, kMaxAnswerValueChars,
             [](char c) { return c > ' ' && c < 0x7f && c != '<' && c != '>' && c != '&'; });
}

// The reader's own fault signal; each parser turns it into its typed error.
struct Malformed {
  std::string what;
};

// A cursor over one document. With `between_elements_space`, whitespace before each tag is skipped (the
// answer's reader); without, the text must be exactly the elements (the request's signed part).
class Reader {
 public:
  Reader(std::string_view text, bool between_elements_space)
      : text_(text), lenient_(between_elements_space) {}

  void skip_declaration() {
    if (text_.starts_with("<?xml")) {
      const auto end = text_.find("?>");
      if (end == std::string_view::npos) throw Malformed{"unterminated XML declaration"};
      pos_ = end + 2;
    }
    skip_space();
  }
  bool next_is(std::string_view literal) {
    gap();
    return text_.substr(pos_).starts_with(literal);
  }
  void expect(std::string_view literal) {
    if (!next_is(literal)) throw Malformed{"expected " + std::string(literal)};
    pos_ += literal.size();
  }
  // "<name>value</name>"; the value may hold no markup or entity at all.
  std::string element(std::string_view name) {
    expect("<" + std::string(name) + ">");
    const auto end = text_.find_first_of("<>&", pos_);
    const std::string close = "</" + std::string(name) + ">";
    if (end == std::string_view::npos || text_.substr(end).compare(0, close.size(), close) != 0)
      throw Malformed{"bad <" + std::string(name) + "> value"};
    std::string value(text_.substr(pos_, end - pos_));
    pos_ = end + close.size();
    return value;
  }
  std::optional<std::string> optional_element(std::string_view name) {
    if (!next_is("<" + std::string(name) + ">")) return std::nullopt;
    return element(name);
  }
  // Whitespace only, up to the end.
  void finish() {
    skip_space();
    if (pos_ != text_.size()) throw Malformed{"content after the document"};
  }
  std::size_t pos() const { return pos_; }

 private:
  void skip_space() {
    while (pos_ < text_.size() && is_xml_space(text_[pos_])) ++pos_;
  }
  void gap() {
    if (lenient_) skip_space();
  }

  std::string_view text_;
  bool lenient_;
  std::size_t pos_ = 0;
};

std::string element(std::string_view name, std::string_view value) {
  std::string out;
  out.reserve(2 * name.size() + value.size() + 5);
  out.append("<").append(name).append(">").append(value).append("</").append(name).append(">");
  return out;
}

[[noreturn]] void bad_request(std::string cause) {
  throw Error(codes::ICSC_REQUEST_INVALID, std::move(cause));
}
[[noreturn]] void bad_response(std::string cause) {
  throw Error(codes::ICSC_RESPONSE_INVALID, std::move(cause));
}

std::string signed_part_of(const Request& r) {
  if (!is_client_id(r.client_id)) bad_request("ClientID is not 40 hex digits");
  if (!is_nonce(r.nonce)) bad_request("Nonce is not 15 letters or digits");
  if (!is_req_time(r.req_time)) bad_request("ReqTime is not 14 digits");
  if (r.records.empty() || r.records.size() > kMaxRecords) bad_request("not 1 to 1000 records");
  std::string out = "<ICSReq>" + element("ClientID", r.client_id) + element("Nonce", r.nonce) +
                    element("ReqTime", r.req_time) + element("TotalCount", std::to_string(r.records.size()));
  for (const auto& rec : r.records) {
    if (!is_record_id(rec.id) || !is_serial(rec.sn) || !is_ssid(rec.ssid))
      bad_request("record " + rec.id.substr(0, kMaxRecordIdChars) + " breaks the ID/SN/SSID rules");
    out += "<Rec>" + element("ID", rec.id) + element("SN", rec.sn) + element("SSID", rec.ssid) + "</Rec>";
  }
  return out + "</ICSReq>";
}

// One <Rec> of an answer.
ResponseRecord read_answer_record(Reader& in) {
  ResponseRecord rec;
  in.expect("<Rec>");
  rec.id = in.element("ID");
  rec.sn = in.element("SN");
  rec.ssid4 = in.element("SSID4");
  const std::string code = in.element("Code");
  in.expect("</Rec>");
  if (!is_answer_text(rec.id) || !is_answer_text(rec.sn) || !is_answer_text(rec.ssid4))
    throw Malformed{"Rec value out of its rule"};
  if (!all(code, 1, 4, is_digit)) throw Malformed{"Code is not 1 to 4 digits"};
  rec.code = std::stoi(code);
  return rec;
}

}  // namespace

bool is_client_id(std::string_view s) { return all(s, kClientIdChars, kClientIdChars, is_hex); }
bool is_nonce(std::string_view s) { return all(s, kNonceChars, kNonceChars, is_alnum); }
bool is_req_time(std::string_view s) { return all(s, kReqTimeChars, kReqTimeChars, is_digit); }
bool is_serial(std::string_view s) { return all(s, kSerialChars, kSerialChars, is_digit); }
bool is_ssid(std::string_view s) { return all(s, kSsidChars, kSsidChars, is_alnum); }
bool is_record_id(std::string_view s) { return all(s, 1, kMaxRecordIdChars, is_digit); }

std::string client_id_of(const crypto::Certificate& cert) {
  return crypto::to_hex(crypto::sha1(cert.der()), /*upper=*/true);
}

SignedRequest sign_request(const Request& request, const crypto::PrivateKey& key) {
  SignedRequest out;
  out.signed_part = signed_part_of(request);
  const crypto::Bytes signature = key.sign(crypto::DigestAlgorithm::Sha1, crypto::as_bytes(out.signed_part));
  out.document = "<ICSRequest>" + out.signed_part +
                 element("ICSReqLength", std::to_string(out.signed_part.size())) +
                 element("Signature", crypto::to_hex(signature, /*upper=*/true)) + "</ICSRequest>";
  return out;
}

RequestRefused::RequestRefused(Refusal refusal, std::string cause, SourceSite where)
    : Error(codes::ICSC_REQUEST_INVALID, std::move(cause), where), refusal_(std::move(refusal)) {
  with("err_id", std::to_string(refusal_.err_id));
}

ReceivedRequest parse_request(std::string_view xml) {
  ReceivedRequest out;
  Request& r = out.request;
  // The echoes a refusal carries are only those already read and found well-formed.
  auto refuse = [&](int err_id, const std::string& cause) -> RequestRefused {
    return RequestRefused(Refusal{err_id, r.client_id, r.nonce}, "ICSC request: " + cause);
  };
  if (xml.size() > kMaxMessageBytes) throw refuse(err_id::kNotXml, "larger than the limit");
  Reader in(xml, /*between_elements_space=*/false);
  try {
    in.skip_declaration();
    in.expect("<ICSRequest>");
    const std::size_t signed_start = in.pos();
    in.expect("<ICSReq>");
    std::string client_id = in.element("ClientID");
    if (!is_client_id(client_id)) throw refuse(err_id::kNotXml, "ClientID is not 40 hex digits");
    r.client_id = std::move(client_id);
    std::string nonce = in.element("Nonce");
    if (!is_nonce(nonce)) throw refuse(err_id::kBadNonce, "Nonce is not 15 letters or digits");
    r.nonce = std::move(nonce);
    r.req_time = in.element("ReqTime");
    out.total_count = in.element("TotalCount");
    while (in.next_is("<Rec>")) {
      if (r.records.size() == kMaxRecords) throw refuse(err_id::kBadTotalCount, "more than 1000 records");
      RequestRecord rec;
      try {
        in.expect("<Rec>");
        rec.id = in.element("ID");
        rec.sn = in.element("SN");
        rec.ssid = in.element("SSID");
        in.expect("</Rec>");
      } catch (const Malformed& m) {
        throw refuse(err_id::kBadRecord, m.what);
      }
      if (!is_record_id(rec.id) || !is_serial(rec.sn) || !is_ssid(rec.ssid))
        throw refuse(err_id::kBadRecord, "a record breaks the ID/SN/SSID rules");
      r.records.push_back(std::move(rec));
    }
    in.expect("</ICSReq>");
    out.signed_part = std::string(xml.substr(signed_start, in.pos() - signed_start));
    const std::string length = in.element("ICSReqLength");
    out.signature_hex = in.element("Signature");
    in.expect("</ICSRequest>");
    in.finish();
    if (length != std::to_string(out.signed_part.size()))
      throw refuse(err_id::kLengthMismatch, "ICSReqLength is not the ICSReq element's length");
  } catch (const Malformed& m) {
    throw refuse(err_id::kNotXml, m.what);
  }
  return out;
}

bool signature_verifies(const ReceivedRequest& request, const crypto::PublicKey& key) {
  crypto::Bytes signature;
  try {
    signature = crypto::from_hex(request.signature_hex);
  } catch (const Error&) {
    return false;
  }
  return crypto::verify_signature(key, crypto::DigestAlgorithm::Sha1, crypto::as_bytes(request.signed_part),
                                  signature);
}

std::string build_response(const Response& response) {
  if (!is_answer_text(response.client_id) || !is_answer_text(response.nonce) ||
      !is_answer_text(response.req_time))
    bad_response("ClientID, Nonce or ReqTime out of its rule");
  if (response.records.empty() || response.records.size() > kMaxRecords)
    bad_response("not 1 to 1000 records");
  std::string out = "<ICSResponse>" + element("ClientID", response.client_id) +
                    element("Nonce", response.nonce) + element("ReqTime", response.req_time) +
                    element("TotalCount", std::to_string(response.records.size()));
  for (const auto& rec : response.records) {
    if (!is_answer_text(rec.id) || !is_answer_text(rec.sn) || !is_answer_text(rec.ssid4) || rec.code < 0 ||
        rec.code > 9999)
      bad_response("a record out of its rule");
    out += "<Rec>" + element("ID", rec.id) + element("SN", rec.sn) + element("SSID4", rec.ssid4) +
           element("Code", std::to_string(rec.code)) + "</Rec>";
  }
  return out + "</ICSResponse>";
}

std::string build_refusal(const Refusal& refusal) {
  if (refusal.err_id < 0 || refusal.err_id > 9999) bad_response("ErrID out of range");
  if ((!refusal.client_id.empty() && !is_answer_text(refusal.client_id)) ||
      (!refusal.nonce.empty() && !is_answer_text(refusal.nonce)))
    bad_response("echo out of its rule");
  std::string out = "<ICSResponse>";
  if (!refusal.client_id.empty()) out += element("ClientID", refusal.client_id);
  if (!refusal.nonce.empty()) out += element("Nonce", refusal.nonce);
  return out + element("ErrID", std::to_string(refusal.err_id)) + "</ICSResponse>";
}

std::variant<Response, Refusal> parse_response(std::string_view xml) {
  if (xml.size() > kMaxMessageBytes) bad_response("ICSC answer larger than the limit");
  try {
    Reader in(xml, /*between_elements_space=*/true);
    in.skip_declaration();
    in.expect("<ICSResponse>");
    auto client_id = in.optional_element("ClientID");
    auto nonce = in.optional_element("Nonce");
    auto req_time = in.optional_element("ReqTime");
    auto total = in.optional_element("TotalCount");
    std::vector<ResponseRecord> records;
    while (in.next_is("<Rec>")) {
      if (records.size() == kMaxRecords) throw Malformed{"more than 1000 records"};
      records.push_back(read_answer_record(in));
    }
    auto err = in.optional_element("ErrID");
    in.expect("</ICSResponse>");
    in.finish();
    for (const auto* value : {&client_id, &nonce, &req_time}) {
      if (*value && !is_answer_text(**value)) throw Malformed{"ClientID, Nonce or ReqTime out of its rule"};
    }
    if (err) {
      if (!all(*err, 1, 4, is_digit)) throw Malformed{"ErrID is not 1 to 4 digits"};
      if (!records.empty()) throw Malformed{"a refusal with records"};
      return Refusal{std::stoi(*err), client_id.value_or(""), nonce.value_or("")};
    }
    if (!client_id || !nonce || !req_time || !total)
      throw Malformed{"lacks ClientID, Nonce, ReqTime or TotalCount"};
    if (records.empty() || *total != std::to_string(records.size()))
      throw Malformed{"TotalCount is not the number of records"};
    return Response{std::move(*client_id), std::move(*nonce), std::move(*req_time), std::move(records)};
  } catch (const Malformed& m) {
    bad_response("ICSC answer: " + m.what);
  }
}

}  // namespace ecpa::icsc
