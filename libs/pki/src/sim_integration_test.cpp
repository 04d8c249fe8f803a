// The validator against the real simulator (`ecpa-sim serve`, apps/sim): a citizen card in a
// SoftHSM2 token signs through pkcs11-tool, and OCSP and CRL answers come over loopback HTTP via
// libs/http's curl client — the same pieces the portal uses, with nothing simulated in-process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/pki/validator.hpp"

namespace ecpa::pki {
namespace {

namespace fs = std::filesystem;
using crypto::testing::run_command;

const std::string kSim = ECPA_SIM_PATH;
const std::string kModule = "/usr/lib/softhsm/libsofthsm2.so";
const std::string kPin = "123456";

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// "key: value" from a command's output.
std::string field(const std::string& output, const std::string& key) {
  auto pos = output.find(key + ": ");
  if (pos == std::string::npos) return {};
  auto end = output.find('\n', pos);
  return output.substr(pos + key.size() + 2, end - pos - key.size() - 2);
}

// The portal's fetcher, in miniature: libs/http's client, any non-200 answer is a failure.
class HttpFetcher : public RevocationFetcher {
 public:
  crypto::Bytes fetch(const std::string& url, crypto::ByteView request_der,
                      std::chrono::milliseconds timeout) override {
    http::ClientRequest r;
    r.method = "POST";
    r.url = url;
    r.headers.set("Content-Type", "application/ocsp-request");
    r.body = std::string(crypto::as_chars(request_der));
    r.timeout = timeout;
    return body_of(client_.send(r), url);
  }
  crypto::Bytes fetch_crl(const std::string& url, std::chrono::milliseconds timeout, std::size_t) override {
    http::ClientRequest r;
    r.url = url;
    r.timeout = timeout;
    return body_of(client_.send(r), url);
  }

 private:
  static crypto::Bytes body_of(const http::ClientResponse& response, const std::string& url) {
    if (response.status != 200) {
      throw Error(codes::UPSTREAM_UNAVAILABLE, "HTTP " + std::to_string(response.status) + " from " + url);
    }
    return crypto::to_bytes(response.body);
  }
  http::Client client_;
};

// `ecpa-sim serve` as a child process on 127.0.0.1 with a port the kernel picks.
class SimProcess {
 public:
  explicit SimProcess(const fs::path& dir) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execl(kSim.c_str(), kSim.c_str(), "serve", "--dir", dir.c_str(), "--listen", "127.0.0.1:0", nullptr);
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512];
    while (f != nullptr && std::fgets(line, sizeof line, f) != nullptr) {
      std::string l(line);
      if (l.starts_with("listening: ")) {
        url_ = l.substr(11);
        while (!url_.empty() && (url_.back() == '\n' || url_.back() == '/')) url_.pop_back();
        break;
      }
    }
    if (f != nullptr) fclose(f);
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

struct SimWorld {
  crypto::testing::TempDir dir;
  std::string card_sn, token_label, sign_serial, softhsm_conf;
  std::optional<crypto::Certificate> root, moica, card_cert;
  std::unique_ptr<SimProcess> server;

  std::string sim(const std::string& args) const {
    auto r = run_command(kSim + " " + args + " --dir " + dir.path().string());
    if (r.exit_code != 0) throw std::runtime_error("ecpa-sim " + args + ": " + r.output);
    return r.output;
  }
  std::string p11(const std::string& args) const {
    auto r = run_command("SOFTHSM2_CONF=" + softhsm_conf + " pkcs11-tool --module " + kModule +
                         " --token-label '" + token_label + "' " + args);
    if (r.exit_code != 0) throw std::runtime_error("pkcs11-tool " + args + ": " + r.output);
    return r.output;
  }

  SimWorld() {
    sim("pki init --root-bits 2048 --base-url http://127.0.0.1:9");
    auto issued = sim("card issue --kind citizen --name 王小明 --id A123456789 --pin " + kPin);
    card_sn = field(issued, "card_sn");
    token_label = field(issued, "token_label");
    sign_serial = field(issued, "sign_cert_serial");
    softhsm_conf = field(issued, "softhsm2_conf");
    root = crypto::Certificate::from_pem(read_text(dir.path() / "ca" / "grca.pem"));
    moica = crypto::Certificate::from_pem(read_text(dir.path() / "ca" / "moica.pem"));
    auto cert_file = dir.path() / "sign.der";
    p11("--read-object --type cert --id 5349474e --output-file " + cert_file.string());
    auto der = read_text(cert_file);
    card_cert = crypto::Certificate::from_der(crypto::as_bytes(der));
    server = std::make_unique<SimProcess>(dir.path());
  }

  // The card signs, as the agent would make it: CKM_SHA256_RSA_PKCS on the token.
  std::string sign(const std::string& tbs) const {
    crypto::SignFunction on_card = [&](crypto::DigestAlgorithm, crypto::ByteView data) {
      auto in = dir.write("tbs.bin", data);
      auto out = dir.path() / "sig.bin";
      p11("--login --pin " + kPin + " --sign --id 5349474e -m SHA256-RSA-PKCS --input-file " + in.string() +
          " --output-file " + out.string());
      return crypto::to_bytes(read_text(out));
    };
    crypto::CmsSignOptions o;
    o.signing_time = std::chrono::system_clock::now();
    o.card_serial = card_sn;
    return crypto::to_base64(crypto::cms_sign_attached(crypto::as_bytes(tbs), *card_cert, on_card, o));
  }
};

class SimIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new SimWorld(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }
  void SetUp() override {
    ASSERT_FALSE(world_->server->url().empty()) << "ecpa-sim serve did not start";
    world_->sim("fault clear");
  }

  TrustConfig trust(bool crl_fallback = true) const {
    TrustConfig t;
    t.anchors = {*world_->root};
    t.intermediates = {*world_->moica};
    IssuerSettings s{.ca = *world_->moica, .kind = CertificateKind::Citizen};
    s.ocsp_urls = {world_->server->url() + "/ocsp/moica"};
    s.crl_urls = {world_->server->url() + "/crl/moica.crl"};
    s.crl_fallback = crl_fallback;
    t.issuers.push_back(s);
    t.fetch_timeout = std::chrono::milliseconds(3000);
    return t;
  }

  CertificateFacts login(const TrustConfig& config) {
    LoginText text{"https://ecpa.example.gov.tw", LoginPurpose::Login, crypto::random_bytes(32)};
    auto package =
        LoginPackage::parse(SignatureForm::Pkcs7, world_->sign(text.to_string()), "", world_->card_sn);
    LoginValidator validator(config, fetcher_, SystemClock::instance());
    return validator.validate(package, text, CertificateKind::Citizen);
  }
  void expect_code(ErrorCode code, const TrustConfig& config) {
    crypto::testing::expect_error(code, [&] { login(config); });
  }

  static SimWorld* world_;
  HttpFetcher fetcher_;
};
SimWorld* SimIntegration::world_ = nullptr;

// Order matters: the last test revokes the card.
TEST_F(SimIntegration, A_GoodCardLogsInWithOcsp) {
  auto facts = login(trust());
  EXPECT_EQ(facts.revocation.source, RevocationSource::Ocsp);
  EXPECT_EQ(facts.name, "王小明");
  EXPECT_EQ(facts.id_last4, "6789");
  EXPECT_EQ(facts.card_serial, world_->card_sn);
  EXPECT_TRUE(facts.card_serial_signed);
  EXPECT_EQ(facts.serial_hex, world_->sign_serial);
}

TEST_F(SimIntegration, B_OcspFaultsAreRefused) {
  world_->sim("fault set wrong_signer true");
  expect_code(codes::OCSP_RESPONDER_UNAUTHORISED, trust());
  world_->sim("fault clear");
  world_->sim("fault set no_nonce true");
  expect_code(codes::OCSP_NONCE_MISMATCH, trust());
  world_->sim("fault clear");
  world_->sim("fault set stale true");
  expect_code(codes::OCSP_STALE, trust());
  world_->sim("fault clear");
  world_->sim("fault set garbage true");
  expect_code(codes::OCSP_INVALID, trust(false));
}

TEST_F(SimIntegration, C_ResponderDownFallsBackToTheCrl) {
  world_->sim("fault set down true");
  EXPECT_EQ(login(trust()).revocation.source, RevocationSource::Crl);
  expect_code(codes::OCSP_UNAVAILABLE, trust(false));
  world_->sim("fault set try_later true");
  EXPECT_EQ(login(trust()).revocation.source, RevocationSource::Crl);
}

TEST_F(SimIntegration, D_RevokedCardIsRefusedByOcspAndByCrl) {
  world_->sim("card revoke " + world_->sign_serial + " --reason keyCompromise");
  expect_code(codes::CERT_REVOKED, trust());
  world_->sim("fault set down true");
  expect_code(codes::CERT_REVOKED, trust());
}

}  // namespace
}  // namespace ecpa::pki
