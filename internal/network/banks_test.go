package network

import "testing"

func TestParseIBAN(t *testing.T) {
	for _, ok := range []string{"DE89370400440532013000", "AT61 1904 3002 3457 3201", "de89370400440532013000"} {
		if _, err := ParseIBAN(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "DE89370400440532013001x", "DE00370400440532013000", "1234567890123456", "DE8937040044053201300!"} {
		if _, err := ParseIBAN(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	ib, _ := ParseIBAN("AT611904300234573201")
	if ib.Country != "AT" || ib.BankCode != "19043" || ib.Last4 != "3201" {
		t.Fatalf("%+v", ib)
	}
	if o := SEPAOutcome(ib); !o.Succeeds || o.Late {
		t.Fatalf("%+v", o)
	}
	late, _ := ParseIBAN("AT051904300235473205")
	if o := SEPAOutcome(late); o.Succeeds || !o.Late || o.FailureCode == "" {
		t.Fatalf("%+v", o)
	}
}

func TestParseUSBankAccount(t *testing.T) {
	a, err := ParseUSBankAccount("110000000", "000123456789")
	if err != nil || a.Last4 != "6789" || !USBankOutcome(a).Succeeds {
		t.Fatalf("%+v %v", a, err)
	}
	if _, err := ParseUSBankAccount("110000001", "000123456789"); err != ErrInvalidRoutingNumber {
		t.Fatalf("bad checksum accepted: %v", err)
	}
	if _, err := ParseUSBankAccount("110000000", "12"); err != ErrInvalidAccountNumber {
		t.Fatalf("short account accepted: %v", err)
	}
	closed, _ := ParseUSBankAccount("110000000", "000111111113")
	if o := USBankOutcome(closed); o.Succeeds || o.FailureCode != "account_closed" {
		t.Fatalf("%+v", o)
	}
}
