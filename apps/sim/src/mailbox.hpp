#pragma once
// What the simulator's SMTP sink received (src/smtp_sink.hpp delivers into it): each message in memory
// for the status page and GET /mail/messages, and as DIR/mail/<id>.eml so that a test or a person can
// read it from another process, and a restarted `ecpa-sim serve` still lists it.
//
// A .eml file is the message as received (dot-unstuffed, CRLF line ends) after three lines of our own:
//   Return-Path: <envelope sender>
//   Delivered-To: <envelope recipient>          (one line per recipient)
//   X-Ecpa-Sim-Received: 2026-01-15T08:00:00Z
// The id (the file's name) sorts in the order of arrival: "20260115T080000123Z-00000001".
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/common/clock.hpp"

namespace ecpa::sim {

struct ReceivedMail {
  std::string id;
  Clock::time_point received_at;
  std::string envelope_from;  // MAIL FROM (may be empty: the null sender "<>")
  std::vector<std::string> envelope_to;
  std::string subject;  // decoded (RFC 2047), valid UTF-8
  std::string body;     // decoded (base64 / quoted-printable), "\n" line ends, valid UTF-8
  std::string raw;      // the message as received, CRLF line ends
};

struct DecodedMail {
  std::string subject;
  std::string body;
};

// The Subject and the text body of an RFC 5322 message, for people to read: the Subject's encoded words
// (RFC 2047, B and Q, UTF-8 and US-ASCII) decoded, the body decoded by its Content-Transfer-Encoding
// (base64, quoted-printable; anything else as it is). Never throws: what cannot be decoded is shown as
// it came, and bytes that are not UTF-8 become U+FFFD (the results go into HTML and JSON).
DecodedMail decode_mail(std::string_view raw);
// One header field's value with its RFC 2047 encoded words decoded (bytes as decoded, not yet checked
// to be UTF-8).
std::string decode_encoded_words(std::string_view value);

class Mailbox {
 public:
  // Reads the .eml files already in `dir` (created, mode 0700, when missing) and keeps the newest
  // `max_kept`; older files are deleted, so that neither memory nor the directory grows without end.
  Mailbox(std::filesystem::path dir, const Clock& clock, std::size_t max_kept = 200);

  // Stores one message (file first, then memory) and returns it as stored. Thread-safe. Throws
  // SIM_STATE_INVALID when the file cannot be written; nothing is kept then.
  ReceivedMail deliver(std::string envelope_from, std::vector<std::string> envelope_to, std::string raw);

  // Newest first. With `to`, only messages with that envelope recipient (compared without regard to
  // case: the sink is for tests, and nobody's mailbox differs from another's only by case).
  std::vector<ReceivedMail> list(std::string_view to = {}) const;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  void keep_newest();  // with mutex_ held

  std::filesystem::path dir_;
  const Clock& clock_;
  std::size_t max_kept_;
  mutable std::mutex mutex_;
  std::vector<ReceivedMail> messages_;  // oldest first
  unsigned long next_sequence_ = 1;
};

// One stored file, as Mailbox reads it back. Throws SIM_STATE_INVALID when it is not one of ours.
ReceivedMail read_eml(const std::filesystem::path& file);

}  // namespace ecpa::sim
