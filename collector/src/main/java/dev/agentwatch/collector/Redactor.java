package dev.agentwatch.collector;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Replaces personal data and secrets in free text with a marker naming what was there
 * ({@code [REDACTED_EMAIL]}, ...). Used on prompt and completion content when content capture is
 * on. Rules, applied in this order so that one rule's match is not re-read by the next:
 * <ol>
 *   <li>PEM private key blocks → {@code [REDACTED_PRIVATE_KEY]};</li>
 *   <li>secrets → {@code [REDACTED_SECRET]}: {@code sk-...} keys (OpenAI, Anthropic
 *       {@code sk-ant-}), Stripe {@code sk_live_}/{@code rk_live_}, AWS access key ids
 *       ({@code AKIA}/{@code ASIA}), GitHub ({@code ghp_} ...), Slack ({@code xox?-}), Google
 *       ({@code AIza}), JWTs, {@code Bearer <token>} (the word Bearer stays), and the value of
 *       {@code api_key=}, {@code password:}, {@code secret=}, {@code token=},
 *       {@code aws_secret_access_key=} (the name stays);</li>
 *   <li>email addresses → {@code [REDACTED_EMAIL]};</li>
 *   <li>IBANs that pass the ISO 13616 mod-97 check → {@code [REDACTED_IBAN]};</li>
 *   <li>card numbers of 13 to 19 digits (spaces or dashes allowed) that pass the Luhn check →
 *       {@code [REDACTED_CARD]};</li>
 *   <li>US social security numbers {@code AAA-GG-SSSS} with valid area/group/serial →
 *       {@code [REDACTED_SSN]};</li>
 *   <li>phone numbers: international {@code +CC ...} with 8 to 15 digits, or North American
 *       {@code (AAA) BBB-CCCC} / {@code AAA-BBB-CCCC} / {@code AAA.BBB.CCCC} →
 *       {@code [REDACTED_PHONE]}.</li>
 * </ol>
 * Checksums keep order numbers, timestamps and ids that merely look like cards or IBANs. Pure,
 * stateless and thread-safe.
 */
public final class Redactor implements UnaryOperator<String> {

    private record Rule(Pattern pattern, Predicate<String> valid, String replacement, int keepGroup) {
    }

    private static final List<Rule> RULES = List.of(
            rule("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----", "[REDACTED_PRIVATE_KEY]"),
            rule("\\bsk-(?:proj-|ant-(?:api\\d\\d-)?|svcacct-)?[A-Za-z0-9_-]{16,}", "[REDACTED_SECRET]"),
            rule("\\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", "[REDACTED_SECRET]"),
            rule("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b", "[REDACTED_SECRET]"),
            rule("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b", "[REDACTED_SECRET]"),
            rule("\\bxox[abprs]-[A-Za-z0-9-]{10,}", "[REDACTED_SECRET]"),
            rule("\\bAIza[0-9A-Za-z_-]{35}", "[REDACTED_SECRET]"),
            rule("\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}", "[REDACTED_SECRET]"),
            keeping("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{12,}", "[REDACTED_SECRET]"),
            keeping("(?i)(\\b(?:aws_secret_access_key|api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|pwd"
                    + "|access[_-]?token|refresh[_-]?token|auth[_-]?token|token)[\"']?\\s*[:=]\\s*[\"']?)"
                    + "(?!\\[REDACTED)[^\\s\"',;}&]{6,}", "[REDACTED_SECRET]"),
            // Bounded as addresses are (64-character local part, 63-character labels): unbounded, a
            // long run of "a.a.a…" without an address was tried from every word start to its end.
            // No word boundary before it, so a longer local part still loses its last 64 characters.
            rule("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){0,8}\\.[A-Za-z]{2,24}\\b",
                    "[REDACTED_EMAIL]"),
            checked("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}\\b", Redactor::isIban, "[REDACTED_IBAN]"),
            checked("(?<![\\d+-])\\d(?:[ -]?\\d){12,18}(?![\\d-])", Redactor::isCardNumber, "[REDACTED_CARD]"),
            rule("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])", "[REDACTED_SSN]"),
            checked("(?<![\\w+])\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,4})){2,5}(?![\\d-])",
                    phone -> digits(phone).length() >= 8 && digits(phone).length() <= 15, "[REDACTED_PHONE]"),
            rule("(?<![\\w-])(?:\\(\\d{3}\\) ?|\\d{3}[-.])\\d{3}[-.]\\d{4}(?![\\d-])", "[REDACTED_PHONE]"));

    private static final Redactor STANDARD = new Redactor();

    private Redactor() {
    }

    /** The rules above. */
    public static Redactor standard() {
        return STANDARD;
    }

    @Override
    public String apply(String text) {
        if (text == null || text.length() < 6) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(out);
            if (matcher.find()) {
                matcher.reset();
                out = matcher.replaceAll(match -> Matcher.quoteReplacement(replacement(rule, match)));
            }
        }
        return out;
    }

    private static String replacement(Rule rule, MatchResult match) {
        String found = match.group();
        if (!rule.valid().test(found)) {
            return found;
        }
        return rule.keepGroup() > 0 ? match.group(rule.keepGroup()) + rule.replacement() : rule.replacement();
    }

    /** Luhn checksum over the digits of a 13 to 19 digit number. */
    static boolean isCardNumber(String candidate) {
        String digits = digits(candidate);
        if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() == 1) {
            return false;
        }
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /** ISO 13616: country letters, check digits, then mod 97 of the rearranged number is 1. */
    static boolean isIban(String candidate) {
        String iban = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder number = new StringBuilder(rearranged.length() * 2);
        for (char c : rearranged.toCharArray()) {
            if (Character.isDigit(c)) {
                number.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                number.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(number.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    private static String digits(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), s -> true, replacement, 0);
    }

    private static Rule keeping(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), s -> true, replacement, 1);
    }

    private static Rule checked(String regex, Predicate<String> valid, String replacement) {
        return new Rule(Pattern.compile(regex), valid, replacement, 0);
    }
}
