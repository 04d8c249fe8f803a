// The pages' own words (labels, headings, hints), zh-TW first and English second. Error texts are not
// here: they come from the shared catalogue through i18n.ts, keyed by code.

import type { Lang } from './i18n';

const zh = {
  skip: '跳到主要內容',
  siteName: '人事服務網',
  siteTitle: '人事服務網 eCPA',
  siteLinks: '網站導覽',
  navAnnouncements: '最新公告',
  navDownloads: '下載專區',
  navOrganization: '機關組織',
  announcementsTitle: '最新公告 - 人事服務網 eCPA',
  announcementsIntro: '人事服務網的公開公告,最新的在前。',
  announcementsNone: '目前沒有公告。',
  announcementsMore: '較早的公告',
  announcementsNewer: '較新的公告',
  published: '發布日期',
  downloadsTitle: '下載專區 - 人事服務網 eCPA',
  downloadsAgentHeading: '憑證元件 ecpa-agent',
  downloadsAgentIntro: '以自然人憑證或機關憑證登入時使用的本機元件。下載後請核對檔案的 SHA-256 檢查碼與下表相同,再依說明安裝。',
  downloadsPlatform: '平台',
  downloadsFile: '檔案',
  downloadsChecksum: 'SHA-256 檢查碼',
  downloadsSize: '大小',
  downloadsNone: '這個網站目前沒有提供 ecpa-agent 的安裝檔,請洽系統管理者。',
  downloadsInstallHelp: 'ecpa-agent 安裝與使用說明',
  downloadsOfficialHeading: '官方元件與驅動程式',
  downloadsOfficialComponent: '內政部憑證管理中心:HiCOS 卡片管理工具與跨平台網頁元件',
  downloadsCardDriver: '自然人或機關憑證驅動程式',
  downloadsNhi: '健保卡元件(中央健康保險署)',
  organizationTitle: '機關組織 - 人事服務網 eCPA',
  organizationIntro: '使用本網站的機關與其單位(依人事資料)。',
  organizationNone: '目前沒有機關資料。',
  helpIndexTitle: '使用說明 - 人事服務網 eCPA',
  agencyName: '行政院人事行政總處',
  agencyNameEn: 'Directorate-General of Personnel Administration, Executive Yuan',
  langSwitch: '語言',
  noticeLabel: '重要訊息:',
  notice:
    '本系統之個人資料僅供作必要人事資料管理之用,台端利用本系統之個人資料時,請留意遵守個人資料保護法之相關規定,於使用完畢後,儘速刪除銷毀,避免外洩,如有違法致生損害,本總處將依法求償。',
  loginMethods: '登入方式',
  tabCert: '自然人憑證/機關憑證',
  tabCertLine1: '自然人憑證',
  tabCertLine2: '機關憑證',
  tabNhi: '健保卡登入',
  tabFido: 'TAIWAN FidO 行動身分識別',
  tabFidoLine1: 'TAIWAN FidO',
  tabFidoLine2: '行動身分識別',
  tabPassword: '帳號密碼登入',
  routeLegend: '憑證種類',
  routeCitizen: '自然人憑證',
  routeAgency: '機關憑證',
  pinLabel: '憑證密碼(PIN 碼)',
  pinPlaceholder: '請輸入PinCode',
  pinHint: '插入卡片後,輸入您的憑證密碼,再按「登入」。',
  directHint:
    '已偵測到本機的憑證元件。按下「登入」後,畫面上方會開啟憑證元件的「ecpa-agent 卡片密碼」視窗,請在該視窗輸入 PIN 碼並按「確定」(本網頁不需要也不會經手您的密碼)。若該視窗沒有出現,請允許本網站開啟彈出式視窗,再按一次「登入」。',
  directHintBind:
    '按下「下一步」後,畫面上方會開啟憑證元件的「ecpa-agent 卡片密碼」視窗,請在該視窗輸入 PIN 碼並按「確定」(本網頁不會經手您的密碼)。若該視窗沒有出現,請允許本網站開啟彈出式視窗,再按一次「下一步」。',
  login: '登入',
  verifying: '驗證中…',
  nhiPasswordLabel: '健保卡註冊密碼',
  nhiPasswordPlaceholder: '請輸入健保卡註冊密碼',
  fidoIdLabel: '身分證字號',
  fidoIdPlaceholder: '請輸入身分證字號',
  accountLabel: 'eCPA 帳號',
  accountPlaceholder: '請輸入eCPA帳號',
  passwordLabel: '密碼',
  passwordPlaceholder: '請輸入密碼',
  comingNhi: '健保卡登入即將開放,目前請使用自然人憑證或機關憑證登入。',
  comingFido: 'TAIWAN FidO 行動身分識別登入即將開放,目前請使用自然人憑證或機關憑證登入。',
  accountEmpty: '請輸入eCPA帳號。',
  passwordEmpty: '請輸入密碼。',
  changeTitle: '變更密碼',
  changeReasonInitial: '這是您第一次以帳號密碼登入。人事單位給您的初始密碼只能用來設定新密碼:請設定一個只有您知道的新密碼,完成後即登入。',
  changeReasonExpired: '您的密碼已超過使用期限而到期。請設定新密碼,完成後即登入。',
  changeAccount: '帳號:',
  changeSubmit: '變更密碼',
  changing: '變更中…',
  newPasswordLabel: '新密碼',
  confirmPasswordLabel: '確認新密碼',
  confirmEmpty: '請再輸入一次新密碼。',
  passwordMismatch: '兩次輸入的新密碼不一致,請重新輸入「確認新密碼」。',
  policyHeading: '新密碼須符合:',
  ruleLength: '長度 {min_length} 至 {max_length} 個字元',
  ruleClasses: '包含大寫英文字母、小寫英文字母、數字、符號其中至少 {min_classes} 種(目前 {count} 種)',
  ruleAccount: '不包含帳號名稱',
  ruleHistory: '與最近 {history} 次用過的密碼都不同',
  ruleMet: '已符合:',
  ruleUnmet: '尚未符合:',
  ruleUnknown: '送出後由系統檢查:',
  forgotPageTitle: '忘記密碼 - 人事服務網 eCPA',
  forgotIntro: '請輸入您的 eCPA 帳號、身分證字號,以及人事資料中登記的電子郵件。資料正確時,系統會寄出重設密碼的連結。',
  idNumberLabel: '身分證字號',
  emailLabel: '登記的電子郵件',
  emailPlaceholder: '例:name@example.gov.tw',
  emailEmpty: '請輸入人事資料中登記的電子郵件。',
  forgotSubmit: '寄送重設連結',
  sending: '寄送中…',
  forgotSent: '若資料正確,重設密碼的連結已寄到您登記的電子郵件,30 分鐘內有效。',
  forgotSentHint: '連結只能使用一次。沒有收到信?請檢查垃圾郵件匣;若登記的電子郵件已變更,請洽您服務機關的人事單位。',
  forgotAgain: '重新填寫',
  forgotHelpLink: '忘記密碼說明',
  resetPageTitle: '重設密碼 - 人事服務網 eCPA',
  resetHeading: '重設密碼',
  resetIntro: '請設定新密碼。完成後,此帳號在所有裝置上的登入都會結束,請以新密碼重新登入。',
  resetSubmit: '重設密碼',
  resetting: '重設中…',
  resetDone: '密碼已重設,請以新密碼登入。',
  goToLogin: '前往登入頁',
  requestNewLink: '重新申請重設密碼連結',
  helpHeading: '使用說明',
  helpForgotPassword: '忘記密碼',
  helpLoginGuide: '登入說明文件',
  helpCitizenRegister: '如何使用自然人憑證註冊?',
  helpMobileId: '如何使用行動身分識別?',
  helpFaq: '有其他使用問題?',
  helpFirstLogin: '首次登入說明',
  helpAgencyCert: '機關憑證GCA、XCA 首次登入與瀏覽器設定',
  helpNhiComponent: '安裝健保卡元件',
  helpCardDriver: '自然人或機關憑證驅動程式',
  helpCrossPlatform: 'MAC及Linux跨平台網站元件',
  helpSee: '相關說明:',
  traceId: '追蹤碼',
  notBoundTitle: '帳號資訊不存在',
  notBoundBody: '若是您最近更新卡片,請依網頁導引更新憑證。',
  cancel: '取消',
  updateCert: '我要更新憑證',
  bindTitle: '自然人憑證檢測',
  bindIntro: '請輸入您的身分證字號與憑證密碼,系統將向內政部憑證管理中心驗證您的憑證後完成綁定。',
  bindIntroDirect: '請輸入您的身分證字號後按「下一步」,再於憑證元件的視窗輸入憑證密碼;系統將向內政部憑證管理中心驗證您的憑證後完成綁定。',
  nationalIdLabel: '請輸入身分證字號:',
  nationalIdPlaceholder: '例:A123456789',
  bindPinLabel: '請輸入憑證密碼(PIN 碼):',
  next: '下一步',
  boundTitle: '憑證更新成功',
  boundBody: '您的自然人憑證已完成驗證並綁定,請關閉此視窗,再以自然人憑證輸入密碼登入。',
  bindTitleAgency: '機關憑證檢測',
  bindIntroAgency: '請輸入機關代碼與機關憑證的憑證密碼,系統將驗證您的機關憑證,並確認憑證所屬機關與機關代碼相符後,將卡片綁定到該機關的人事人員帳號。',
  bindIntroAgencyDirect: '請輸入機關代碼後按「下一步」,再於憑證元件的視窗輸入憑證密碼;系統將驗證您的機關憑證,並確認憑證所屬機關與機關代碼相符後,將卡片綁定到該機關的人事人員帳號。',
  agencyCodeLabel: '請輸入機關代碼:',
  agencyCodePlaceholder: '例:A58000000A',
  boundBodyAgency: '您的機關憑證已完成驗證並綁定,請關閉此視窗,再以機關憑證輸入密碼登入。',
  close: '關閉',
  popupHelpTitle: '如何允許本網站的彈出式視窗',
  retryHint: '設定完成後,請再按一次「登入」。',
  // Dashboard
  menu: '主選單',
  menuAnnouncements: '最新公告',
  menuApplications: '應用系統',
  menuRoles: '權限與兼辦管理',
  menuSurveys: '問卷管理',
  menuMine: '我的專區',
  menuGettingStarted: '新手上路',
  menuManual: '使用手冊',
  sessionLeft: '登入剩餘時間',
  sessionWarning: '您的登入將於 {time} 後因閒置逾時而結束。按「延長登入」可繼續使用。',
  extendSession: '延長登入',
  signedOutElsewhere: '您已登出(可能是在另一個分頁或視窗按了「登出」)。如需繼續使用,請重新登入。',
  menuSoon: '「{name}」尚未開放,將於後續版本提供;目前可使用待辦事項、待辦行事曆、新手上路與使用手冊。',
  loggedInAs: '登入者',
  agency: '服務機關',
  title: '職稱',
  method: '登入方式',
  methodCitizen: '自然人憑證',
  methodAgency: '機關憑證',
  methodNhi: '健保卡',
  methodFido: '行動身分識別',
  methodPassword: '帳號密碼',
  logout: '登出',
  todos: '待辦事項',
  calendar: '待辦行事曆',
  today: '今天',
  tomorrow: '明天',
  dayAfter: '後天',
  noTodos: '本日無待辦事項',
  due: '期限',
  loading: '載入中…',
  retry: '重新載入',
  helpHome: '使用說明',
  helpIndexIntro: '請選擇您需要的說明。',
  popupRetry: '重試',
  popupRetryHint: '設定完成後按「重試」,會重新開啟元件的視窗。',
  noPopupWindow: '沒有看到元件的視窗?可能被瀏覽器擋下了:',
  downloads: '下載:',
  downloadCardDriver: '卡片驅動程式(HiCOS)',
  downloadOfficialComponent: '內政部跨平台網頁元件',
  downloadAgent: 'ecpa-agent',
  errorCodeHelp: '錯誤代碼說明',
  backToLogin: '回到登入頁',
  backToHome: '回到首頁',
};

export type StringKey = keyof typeof zh;

const en: Record<StringKey, string> = {
  skip: 'Skip to main content',
  siteName: 'Personnel Service Portal',
  siteTitle: 'eCPA Personnel Service Portal',
  siteLinks: 'Site links',
  navAnnouncements: 'Announcements',
  navDownloads: 'Downloads',
  navOrganization: 'Organization',
  announcementsTitle: 'Announcements - eCPA Personnel Service Portal',
  announcementsIntro: 'The portal\'s public announcements, newest first.',
  announcementsNone: 'There are no announcements at the moment.',
  announcementsMore: 'Older announcements',
  announcementsNewer: 'Newer announcements',
  published: 'Published',
  downloadsTitle: 'Downloads - eCPA Personnel Service Portal',
  downloadsAgentHeading: 'The card component ecpa-agent',
  downloadsAgentIntro: 'The local component used to log in with a citizen or agency certificate. After downloading, check that the file\'s SHA-256 checksum is the one below, then install it as the guide says.',
  downloadsPlatform: 'Platform',
  downloadsFile: 'File',
  downloadsChecksum: 'SHA-256 checksum',
  downloadsSize: 'Size',
  downloadsNone: 'This site does not offer ecpa-agent packages at the moment; ask the administrator.',
  downloadsInstallHelp: 'Installing and using ecpa-agent',
  downloadsOfficialHeading: 'Official components and drivers',
  downloadsOfficialComponent: 'MOICA: the HiCOS card tool and the cross-platform web component',
  downloadsCardDriver: 'Citizen and agency certificate card drivers',
  downloadsNhi: 'NHI card component (National Health Insurance Administration)',
  organizationTitle: 'Organization - eCPA Personnel Service Portal',
  organizationIntro: 'The agencies that use this portal and their units (from HR data).',
  organizationNone: 'No agency data yet.',
  helpIndexTitle: 'Help - eCPA Personnel Service Portal',
  agencyName: 'Directorate-General of Personnel Administration',
  agencyNameEn: 'Directorate-General of Personnel Administration, Executive Yuan',
  langSwitch: 'Language',
  noticeLabel: 'Important: ',
  notice:
    'Personal data in this system is for necessary personnel administration only. When you use it, comply with the Personal Data Protection Act, and delete or destroy the data promptly after use so that it does not leak. Damage caused by unlawful use will be claimed according to law.',
  loginMethods: 'Ways to log in',
  tabCert: 'Citizen / agency certificate',
  tabCertLine1: 'Citizen certificate',
  tabCertLine2: 'Agency certificate',
  tabNhi: 'NHI card',
  tabFido: 'TAIWAN FidO mobile ID',
  tabFidoLine1: 'TAIWAN FidO',
  tabFidoLine2: 'Mobile ID',
  tabPassword: 'Account and password',
  routeLegend: 'Certificate type',
  routeCitizen: 'Citizen Digital Certificate',
  routeAgency: 'Agency certificate (GCA/XCA)',
  pinLabel: 'Card PIN',
  pinPlaceholder: 'Enter your PIN',
  pinHint: 'Insert the card, enter its PIN and press Log in.',
  directHint:
    'The card component was found on this computer. When you press Log in, its window titled "ecpa-agent Card PIN" opens on top of this page: type your PIN there and press OK. This page does not need and never sees your PIN. If that window does not appear, allow pop-up windows for this site and press Log in again.',
  directHintBind:
    'When you press Next, the card component\'s window titled "ecpa-agent Card PIN" opens on top of this page: type your PIN there and press OK. This page never sees your PIN. If that window does not appear, allow pop-up windows for this site and press Next again.',
  login: 'Log in',
  verifying: 'Verifying…',
  nhiPasswordLabel: 'NHI card registration password',
  nhiPasswordPlaceholder: 'Enter your NHI card registration password',
  fidoIdLabel: 'National ID number',
  fidoIdPlaceholder: 'Enter your national ID number',
  accountLabel: 'eCPA account',
  accountPlaceholder: 'Enter your eCPA account',
  passwordLabel: 'Password',
  passwordPlaceholder: 'Enter your password',
  comingNhi: 'NHI card login is coming soon. For now, log in with a citizen or agency certificate.',
  comingFido: 'TAIWAN FidO mobile ID login is coming soon. For now, log in with a citizen or agency certificate.',
  accountEmpty: 'Enter your eCPA account.',
  passwordEmpty: 'Enter your password.',
  changeTitle: 'Change your password',
  changeReasonInitial: 'This is your first login with a password. The initial password from your personnel office only lets you set a new one: choose a password only you know; you are logged in as soon as it is set.',
  changeReasonExpired: 'Your password has expired. Set a new one; you are logged in as soon as it is set.',
  changeAccount: 'Account: ',
  changeSubmit: 'Change password',
  changing: 'Changing…',
  newPasswordLabel: 'New password',
  confirmPasswordLabel: 'Confirm new password',
  confirmEmpty: 'Type the new password again.',
  passwordMismatch: 'The two entries differ: type the new password again under "Confirm new password".',
  policyHeading: 'Your new password needs:',
  ruleLength: '{min_length} to {max_length} characters',
  ruleClasses: 'At least {min_classes} of: capital letters, small letters, digits, symbols (now {count})',
  ruleAccount: 'Not to contain the account name',
  ruleHistory: 'To differ from your last {history} passwords',
  ruleMet: 'Done: ',
  ruleUnmet: 'Not yet: ',
  ruleUnknown: 'Checked by the portal when sent: ',
  forgotPageTitle: 'Forgot your password - eCPA Personnel Service Portal',
  forgotIntro: 'Enter your eCPA account, your national ID number and the e-mail address in your personnel record. If they match, the portal e-mails you a link to reset your password.',
  idNumberLabel: 'National ID number',
  emailLabel: 'E-mail address on record',
  emailPlaceholder: 'e.g. name@example.gov.tw',
  emailEmpty: 'Enter the e-mail address in your personnel record.',
  forgotSubmit: 'Send the reset link',
  sending: 'Sending…',
  forgotSent: 'If the details are correct, a link to reset your password has been sent to your e-mail address on record. It is valid for 30 minutes.',
  forgotSentHint: 'The link works once. No mail? Check your spam folder; if your e-mail address has changed, ask your agency\'s personnel office.',
  forgotAgain: 'Fill in again',
  forgotHelpLink: 'Help with forgotten passwords',
  resetPageTitle: 'Reset your password - eCPA Personnel Service Portal',
  resetHeading: 'Reset your password',
  resetIntro: 'Choose a new password. Once it is set, every login of this account on every device ends: log in again with the new password.',
  resetSubmit: 'Reset password',
  resetting: 'Resetting…',
  resetDone: 'Your password has been reset. Log in with the new password.',
  goToLogin: 'Go to the login page',
  requestNewLink: 'Ask for a new reset link',
  helpHeading: 'Help',
  helpForgotPassword: 'Forgot your password',
  helpLoginGuide: 'How to log in',
  helpCitizenRegister: 'Registering with a Citizen Digital Certificate',
  helpMobileId: 'Using the mobile ID',
  helpFaq: 'Other questions',
  helpFirstLogin: 'First login',
  helpAgencyCert: 'Agency certificates (GCA, XCA): first login and browser settings',
  helpNhiComponent: 'Install the NHI card component',
  helpCardDriver: 'Card drivers for citizen and agency certificates',
  helpCrossPlatform: 'Web component for Mac and Linux',
  helpSee: 'See also: ',
  traceId: 'Trace ID',
  notBoundTitle: 'No account found for this card',
  notBoundBody: 'If you recently renewed your card, follow the steps to update your certificate.',
  cancel: 'Cancel',
  updateCert: 'Update my certificate',
  bindTitle: 'Citizen certificate check',
  bindIntro: 'Enter your national ID number and card PIN. The portal checks your certificate with the MOI certificate authority and then links it to your account.',
  bindIntroDirect: 'Enter your national ID number and press Next, then type your card PIN in the card component\'s window. The portal checks your certificate with the MOI certificate authority and then links it to your account.',
  nationalIdLabel: 'National ID number:',
  nationalIdPlaceholder: 'e.g. A123456789',
  bindPinLabel: 'Card PIN:',
  next: 'Next',
  boundTitle: 'Certificate updated',
  boundBody: 'Your Citizen Digital Certificate has been checked and linked. Close this window and log in with your card PIN.',
  bindTitleAgency: 'Agency certificate check',
  bindIntroAgency: 'Enter the agency code and the PIN of the agency certificate. The portal checks the certificate and that it belongs to the agency with this code, then links the card to that agency\'s personnel-officer account.',
  bindIntroAgencyDirect: 'Enter the agency code and press Next, then type the card PIN in the card component\'s window. The portal checks the certificate and that it belongs to the agency with this code, then links the card to that agency\'s personnel-officer account.',
  agencyCodeLabel: 'Agency code:',
  agencyCodePlaceholder: 'e.g. A58000000A',
  boundBodyAgency: 'Your agency certificate has been checked and linked. Close this window and log in with the card PIN.',
  close: 'Close',
  popupHelpTitle: 'How to allow pop-ups for this site',
  retryHint: 'When done, press Log in again.',
  menu: 'Main menu',
  menuAnnouncements: 'Announcements',
  menuApplications: 'Applications',
  menuRoles: 'Roles and concurrent duties',
  menuSurveys: 'Surveys',
  menuMine: 'My area',
  menuGettingStarted: 'Getting started',
  menuManual: 'User manual',
  sessionLeft: 'Session time left',
  sessionWarning: 'Your session ends in {time} because of inactivity. Press Extend session to keep working.',
  extendSession: 'Extend session',
  signedOutElsewhere: 'You have been logged out (perhaps with Log out in another tab or window). Log in again to continue.',
  menuSoon: '“{name}” is not available yet; it is coming in a later release. For now you can use the to-dos, the to-do calendar, Getting started and the user manual.',
  loggedInAs: 'Logged in as',
  agency: 'Agency',
  title: 'Title',
  method: 'Logged in with',
  methodCitizen: 'Citizen Digital Certificate',
  methodAgency: 'Agency certificate',
  methodNhi: 'NHI card',
  methodFido: 'Mobile ID',
  methodPassword: 'Password',
  logout: 'Log out',
  todos: 'To-do items',
  calendar: 'To-do calendar',
  today: 'Today',
  tomorrow: 'Tomorrow',
  dayAfter: 'Day after tomorrow',
  noTodos: 'Nothing to do on this day',
  due: 'Due',
  loading: 'Loading…',
  retry: 'Reload',
  helpHome: 'Help',
  helpIndexIntro: 'Choose the topic you need.',
  popupRetry: 'Try again',
  popupRetryHint: 'When done, press Try again: the component window opens again.',
  noPopupWindow: 'No component window? The browser may have blocked it:',
  downloads: 'Download: ',
  downloadCardDriver: 'card driver (HiCOS)',
  downloadOfficialComponent: 'MOI cross-platform web component',
  downloadAgent: 'ecpa-agent',
  errorCodeHelp: 'About this error code',
  backToLogin: 'Back to the login page',
  backToHome: 'Back to the home page',
};

const TABLE: Record<Lang, Record<StringKey, string>> = { 'zh-TW': zh, en };

export function t(key: StringKey, lang: Lang): string {
  return TABLE[lang][key];
}

export function isStringKey(key: string): key is StringKey {
  return Object.hasOwn(zh, key);
}

export function allStringKeys(): StringKey[] {
  return Object.keys(zh) as StringKey[];
}

/** The help topics of the login page, in the seed's order; pages live at /help/<slug>.html. */
export const HELP_TOPICS: readonly { slug: string; key: StringKey }[] = [
  { slug: 'forgot-password', key: 'helpForgotPassword' },
  { slug: 'login-guide', key: 'helpLoginGuide' },
  { slug: 'citizen-certificate-registration', key: 'helpCitizenRegister' },
  { slug: 'mobile-id', key: 'helpMobileId' },
  { slug: 'faq', key: 'helpFaq' },
  { slug: 'first-login', key: 'helpFirstLogin' },
  { slug: 'agency-certificate', key: 'helpAgencyCert' },
  { slug: 'nhi-card-component', key: 'helpNhiComponent' },
  { slug: 'card-driver', key: 'helpCardDriver' },
  { slug: 'cross-platform-component', key: 'helpCrossPlatform' },
];

/** Every help page the portal serves: the login page's topics plus those the dashboard menu links to. */
export const HELP_PAGES: readonly { slug: string; key: StringKey }[] = [
  { slug: 'getting-started', key: 'menuGettingStarted' },
  { slug: 'manual', key: 'menuManual' },
  ...HELP_TOPICS,
];

export function helpHref(slug: string): string {
  return `/help/${slug}.html`;
}

/** The help page that answers an error, when there is one. */
export function helpFor(code: string): { slug: string; key: StringKey } | null {
  const by = (slug: string): { slug: string; key: StringKey } | null => HELP_TOPICS.find((h) => h.slug === slug) ?? null;
  switch (code) {
    case 'COMPONENT_NOT_RUNNING':
    case 'COMPONENT_TOO_OLD':
    case 'COMPONENT_SITE_NOT_ALLOWED':
      return by('cross-platform-component');
    case 'COMPONENT_LIBRARY_MISSING':
    case 'READER_NOT_FOUND':
      return by('card-driver');
    case 'POPUP_BLOCKED':
    case 'POPUP_CLOSED':
      return by('login-guide');
    case 'ACCOUNT_NOT_BOUND':
    case 'PASSWORD_CHANGE_REQUIRED':
      return by('first-login');
    case 'PASSWORD_LOGIN_FAILED':
    case 'ACCOUNT_LOCKED':
    case 'RESET_LINK_INVALID':
    case 'RESET_LINK_EXPIRED':
      return by('forgot-password');
    case 'AGENCY_CODE_INVALID':
    case 'AGENCY_UNKNOWN':
    case 'AGENCY_OID_MISMATCH':
    case 'AGENCY_OID_MISSING':
    case 'AGENCY_NO_OFFICER':
    case 'CERT_WRONG_ROUTE':
      return by('agency-certificate');
    default:
      return code.startsWith('CARD_') || code.startsWith('COMPONENT_') ? by('faq') : null;
  }
}

/** The FAQ entry for a code: every catalogue code has one (generated from the catalogue at build time). */
export function faqHref(code: string): string {
  return `/help/faq.html#code-${encodeURIComponent(code)}`;
}

/** Which downloads help with an error; the addresses come from the page's <meta name="ecpa-url-…"> tags. */
export type DownloadName = 'card-driver' | 'official-component' | 'ecpa-agent';
const DOWNLOAD_LABELS: Record<DownloadName, StringKey> = {
  'card-driver': 'downloadCardDriver',
  'official-component': 'downloadOfficialComponent',
  'ecpa-agent': 'downloadAgent',
};

export function downloadsFor(code: string): { name: DownloadName; key: StringKey }[] {
  const list = (...names: DownloadName[]): { name: DownloadName; key: StringKey }[] => names.map((name) => ({ name, key: DOWNLOAD_LABELS[name] }));
  switch (code) {
    case 'COMPONENT_NOT_RUNNING':
      return list('ecpa-agent', 'official-component', 'card-driver');
    case 'COMPONENT_TOO_OLD':
      return list('official-component', 'ecpa-agent');
    case 'COMPONENT_LIBRARY_MISSING':
    case 'READER_NOT_FOUND':
      return list('card-driver');
    default:
      return [];
  }
}

/** A configured address, if it is one a link may point to: http(s) or a path on this site, nothing else. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const v = raw.trim();
  if (/^\/(?!\/)/.test(v)) return v;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
