#pragma once
#include <string_view>

// Object identifiers this project reads or writes, in dotted form, named after what they mean.
namespace ecpa::crypto::oids {

// X.509 extensions OpenSSL 3.0 has no built-in handler for.
inline constexpr std::string_view kSubjectDirectoryAttributes = "2.5.29.9";

// GPKI Subject Directory Attributes (REFERENCE §2).
inline constexpr std::string_view kGpkiSubjectType = "2.16.886.1.100.2.1";
inline constexpr std::string_view kGpkiIdLast4 = "2.16.886.1.100.2.51";
inline constexpr std::string_view kGpkiBusinessId = "2.16.886.1.100.2.101";
inline constexpr std::string_view kGpkiAgencyOid = "2.16.886.1.100.2.102";

// Values of the subject type attribute.
inline constexpr std::string_view kSubjectTypeNaturalPerson = "2.16.886.1.100.3.1.1";
inline constexpr std::string_view kSubjectTypeGovernmentAgency = "2.16.886.1.100.3.2.1.1";
inline constexpr std::string_view kSubjectTypeGovernmentUnit = "2.16.886.1.100.3.2.1.2";
inline constexpr std::string_view kSubjectTypeCompany = "2.16.886.1.100.3.2.2.1.1";

// GPKI class 3 assurance policy (inferred for MOICA; keep allow-lists configurable).
inline constexpr std::string_view kGpkiClass3Policy = "2.16.886.101.0.3.3";

// CMS signed attributes written by the HiPKI component.
inline constexpr std::string_view kPkcs9Nonce = "1.2.840.113549.1.9.25.3";
inline constexpr std::string_view kCardSerialNumber = "2.16.886.1.100.2.204";

// Extended key usages.
inline constexpr std::string_view kEkuServerAuth = "1.3.6.1.5.5.7.3.1";
inline constexpr std::string_view kEkuClientAuth = "1.3.6.1.5.5.7.3.2";
inline constexpr std::string_view kEkuEmailProtection = "1.3.6.1.5.5.7.3.4";
inline constexpr std::string_view kEkuOcspSigning = "1.3.6.1.5.5.7.3.9";

}  // namespace ecpa::crypto::oids
