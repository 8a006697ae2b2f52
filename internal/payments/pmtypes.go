package payments

// OtherTypeData holds the per-type hashes of payment_method_data for the
// payment method types Tender does not simulate. They are accepted, so that
// no request an SDK can send is refused as unknown, and the type itself is
// refused with Stripe's error for a type that is not enabled.
type OtherTypeData struct {
	AcssDebit        any `form:"acss_debit"`
	Affirm           any `form:"affirm"`
	AfterpayClearpay any `form:"afterpay_clearpay"`
	Alipay           any `form:"alipay"`
	Alma             any `form:"alma"`
	AmazonPay        any `form:"amazon_pay"`
	AuBecsDebit      any `form:"au_becs_debit"`
	BacsDebit        any `form:"bacs_debit"`
	Billie           any `form:"billie"`
	Blik             any `form:"blik"`
	Boleto           any `form:"boleto"`
	Cashapp          any `form:"cashapp"`
	Crypto           any `form:"crypto"`
	Custom           any `form:"custom"`
	CustomerBalance  any `form:"customer_balance"`
	EPS              any `form:"eps"`
	FPX              any `form:"fpx"`
	Giropay          any `form:"giropay"`
	Grabpay          any `form:"grabpay"`
	InteracPresent   any `form:"interac_present"`
	KakaoPay         any `form:"kakao_pay"`
	Konbini          any `form:"konbini"`
	KrCard           any `form:"kr_card"`
	Link             any `form:"link"`
	MbWay            any `form:"mb_way"`
	Mobilepay        any `form:"mobilepay"`
	Multibanco       any `form:"multibanco"`
	NaverPay         any `form:"naver_pay"`
	NzBankAccount    any `form:"nz_bank_account"`
	Oxxo             any `form:"oxxo"`
	PayByBank        any `form:"pay_by_bank"`
	Payco            any `form:"payco"`
	Paynow           any `form:"paynow"`
	Paypal           any `form:"paypal"`
	Payto            any `form:"payto"`
	Pix              any `form:"pix"`
	Promptpay        any `form:"promptpay"`
	RevolutPay       any `form:"revolut_pay"`
	SamsungPay       any `form:"samsung_pay"`
	Satispay         any `form:"satispay"`
	Sofort           any `form:"sofort"`
	Swish            any `form:"swish"`
	Twint            any `form:"twint"`
	UPI              any `form:"upi"`
	WechatPay        any `form:"wechat_pay"`
	Zip              any `form:"zip"`
}
