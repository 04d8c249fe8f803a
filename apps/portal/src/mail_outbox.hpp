#pragma once
// Mail the portal sends (password-reset links): handed to an outbox and sent by its own thread, so that
// a request never waits on the mail server, and a request whose details match a record takes no longer
// to answer than one whose details do not (the answers must not tell which accounts exist).

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "ecpa/common/log.hpp"
#include "ecpa/http/mail.hpp"

namespace ecpa::portal {

struct OutgoingMail {
  std::string to;
  std::string subject;
  std::string body;
};

class MailOutbox {
 public:
  virtual ~MailOutbox() = default;
  // Never blocks on the network. A mail that cannot be queued or sent is logged (mail.failed).
  virtual void post(OutgoingMail mail) = 0;
};

class SmtpOutbox final : public MailOutbox {
 public:
  static constexpr std::size_t kMaxQueued = 1000;

  SmtpOutbox(http::MailSettings settings, std::string from, log::Logger logger);
  ~SmtpOutbox() override;  // sends what is queued (each within the SMTP timeout), then stops
  SmtpOutbox(const SmtpOutbox&) = delete;
  SmtpOutbox& operator=(const SmtpOutbox&) = delete;

  void post(OutgoingMail mail) override;

 private:
  void run();

  http::MailSettings settings_;
  std::string from_;
  log::Logger logger_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<OutgoingMail> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace ecpa::portal
