#include "mail_outbox.hpp"

#include "ecpa/common/error.hpp"

namespace ecpa::portal {
namespace {

// Logs name the domain only: an address is personal data.
std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

}  // namespace

SmtpOutbox::SmtpOutbox(http::MailSettings settings, std::string from, log::Logger logger)
    : settings_(std::move(settings)),
      from_(std::move(from)),
      logger_(std::move(logger)),
      worker_([this] { run(); }) {}

SmtpOutbox::~SmtpOutbox() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void SmtpOutbox::post(OutgoingMail mail) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueued || stopping_) {
      logger_.error("mail.failed", {{"cause", "outbox full"}, {"domain", domain_of(mail.to)}});
      return;
    }
    queue_.push_back(std::move(mail));
  }
  wake_.notify_one();
}

void SmtpOutbox::run() {
  for (;;) {
    OutgoingMail mail;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      mail = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      http::send_mail(settings_, http::MailMessage{from_, mail.to, mail.subject, mail.body});
      logger_.info("mail.sent", {{"domain", domain_of(mail.to)}});
    } catch (const std::exception& e) {
      logger_.error("mail.failed", {{"cause", e.what()}, {"domain", domain_of(mail.to)}});
    }
  }
}

}  // namespace ecpa::portal
