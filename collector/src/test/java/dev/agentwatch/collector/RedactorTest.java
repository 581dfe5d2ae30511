package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
    private static final Redactor REDACTOR = Redactor.standard();

    private static String redact(String text) {
        return REDACTOR.apply(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ann@example.com", "first.last+tag@mail.example.co.uk", "X_Y-z@sub-domain.example.org"})
    void redactsEmailAddresses(String email) {
        assertThat(redact("write to " + email + " today")).isEqualTo("write to [REDACTED_EMAIL] today");
    }

    /** A megabyte that looks like the start of an address but never is one: redacted in one pass. */
    @Test
    void aLongRunWithoutAnAddressDoesNotBacktrackForever() {
        String run = "a.".repeat(500_000);

        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(30), () -> redact(run))).isEqualTo(run);
        assertThat(redact("x".repeat(70) + "@example.com")).as("a local part past 64 characters is cut to its last 64")
                .isEqualTo("x".repeat(6) + "[REDACTED_EMAIL]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "5500 0000 0000 0004",
            "378282246310005", "6011111111111117"})
    void redactsCardNumbersThatPassLuhn(String card) {
        assertThat(redact("card " + card + ", exp 12/29")).isEqualTo("card [REDACTED_CARD], exp 12/29");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4111 1111 1111 1112", "1234567890123", "0000000000000000", "1700000000000000000"})
    void keepsLongNumbersThatFailLuhnOrAreDegenerate(String number) {
        assertThat(redact("order " + number)).isEqualTo("order " + number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
            "FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300"})
    void redactsIbansThatPassMod97(String iban) {
        assertThat(redact("pay to " + iban + " please")).isEqualTo("pay to [REDACTED_IBAN] please");
    }

    @Test
    void keepsIbanShapedTextWithABadChecksum() {
        assertThat(redact("ref DE00 3704 0044 0532 0130 00")).contains("DE00 3704");
    }

    @ParameterizedTest
    @ValueSource(strings = {"123-45-6789", "078-05-1121"})
    void redactsUsSocialSecurityNumbers(String ssn) {
        assertThat(redact("SSN: " + ssn + ".")).isEqualTo("SSN: [REDACTED_SSN].");
    }

    @ParameterizedTest
    @ValueSource(strings = {"000-12-3456", "666-12-3456", "923-12-3456", "123-00-4567", "123-45-0000"})
    void keepsNumbersThatCannotBeSocialSecurityNumbers(String notSsn) {
        assertThat(redact("code " + notSsn)).isEqualTo("code " + notSsn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1 415 555 2671", "+44 20 7946 0958", "+33 1 23 45 67 89", "+4915112345678",
            "(415) 555-2671", "415-555-2671", "415.555.2671", "+1 (415) 555-2671"})
    void redactsPhoneNumbers(String phone) {
        assertThat(redact("call " + phone + " now")).isEqualTo("call [REDACTED_PHONE] now");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-15", "version 1.2.3", "at 12:30:45", "order 12345", "+3 points", "ids 10-20-30"})
    void keepsDatesVersionsAndSmallNumbers(String text) {
        assertThat(redact(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "key sk-proj-AbCdEf0123456789AbCdEf0123 here|key [REDACTED_SECRET] here",
            "sk-ant-api03-AbCdEf0123456789_xyz-ABCDEFGH|[REDACTED_SECRET]",
            "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc|stripe [REDACTED_SECRET]",
            "aws AKIAIOSFODNN7EXAMPLE id|aws [REDACTED_SECRET] id",
            "gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 x|gh [REDACTED_SECRET] x",
            "slack xoxb-123456789012-abcdefghij|slack [REDACTED_SECRET]",
            "g AIzaSyA-1234567890abcdefghijklmnopqrstu|g [REDACTED_SECRET]",
            "Authorization: Bearer abc.def-ghi_jkl012345|Authorization: Bearer [REDACTED_SECRET]",
            "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U|jwt [REDACTED_SECRET]",
            "password=hunter22 and more|password=[REDACTED_SECRET] and more",
            "{\"api_key\": \"abcdef123456\"}|{\"api_key\": \"[REDACTED_SECRET]\"}",
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|aws_secret_access_key=[REDACTED_SECRET]"})
    void redactsSecretsKeepingTheirLabel(String text, String expected) {
        assertThat(redact(text)).isEqualTo(expected);
    }

    @Test
    void redactsPrivateKeyBlocks() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----";
        assertThat(redact("key:\n" + pem + "\nend")).isEqualTo("key:\n[REDACTED_PRIVATE_KEY]\nend");
    }

    @Test
    void redactsEverythingInOneMessageAndKeepsTheRest() {
        String text = "Hi, I'm Ann (ann@example.com, +1 415 555 2671). Refund to card 4111 1111 1111 1111 "
                + "or IBAN DE89 3704 0044 0532 0130 00. SSN 123-45-6789. Order #12345 on 2024-01-15.";
        assertThat(redact(text)).isEqualTo("Hi, I'm Ann ([REDACTED_EMAIL], [REDACTED_PHONE]). Refund to card [REDACTED_CARD] "
                + "or IBAN [REDACTED_IBAN]. SSN [REDACTED_SSN]. Order #12345 on 2024-01-15.");
    }

    @Test
    void keepsJsonValidWhenRedactingInsideAJsonString() {
        String json = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"mail ann@example.com\"}]}]";
        assertThat(redact(json)).isEqualTo(
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"mail [REDACTED_EMAIL]\"}]}]");
    }

    @Test
    void isIdempotent() {
        String once = redact("ann@example.com 4111111111111111 password=hunter22 +44 20 7946 0958");
        assertThat(redact(once)).isEqualTo(once);
    }

    @Test
    void leavesTextWithoutPersonalDataAlone() {
        String text = "The weather in Paris is 21°C and clear; tool get_weather returned {\"tempC\":21}.";
        assertThat(redact(text)).isSameAs(text);
        assertThat(redact("")).isEmpty();
    }

    @Test
    void checksumsAreRight() {
        assertThat(Redactor.isCardNumber("4539 1488 0343 6467")).isTrue();
        assertThat(Redactor.isCardNumber("4539 1488 0343 6468")).isFalse();
        assertThat(Redactor.isIban("GB82WEST12345698765432")).isTrue();
        assertThat(Redactor.isIban("GB83WEST12345698765432")).isFalse();
    }
}
