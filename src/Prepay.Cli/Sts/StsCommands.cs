using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Cli.Sts;

/// <summary>
/// <c>prepay sts keygen | encode | decode</c>. The logic lives in <see cref="Keygen"/>, <see cref="Encode"/> and
/// <see cref="Decode"/>, which return (exit code, stdout, stderr) so they can be tested without a console.
/// Bad input gives one line on stderr and exit code 2.
/// </summary>
public static class StsCommands
{
    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 2;

    /// <summary>The <c>sts</c> command with its subcommands.</summary>
    public static Command Create()
    {
        var sts = new Command("sts", "STS (IEC 62055-41) decoder keys and 20-digit tokens.");
        sts.Subcommands.Add(KeygenCommand());
        sts.Subcommands.Add(EncodeCommand());
        sts.Subcommands.Add(DecodeCommand());
        return sts;
    }

    /// <summary>
    /// Derives a decoder key (DKGA-02 or DKGA-04). Without <paramref name="iin"/> the IIN follows from the length of
    /// <paramref name="iain"/> (IEC 62055-41 §6.1.2, MeterPAN: 11 digits → 600727, 13 → 0000); given, it must make an
    /// 18-digit PAN. Prints the PAN used and whether the decoder reference number's check digit is valid.
    /// </summary>
    public static CommandOutcome Keygen(string? vendingKey, string? sgc, string? ti, string? krn, string? kt, string? iain, string? iin, string? dkga, string? ea, string? baseDate, bool json)
    {
        if (VendingKey.TryParseHex(vendingKey, out var vk) is { } vkError)
        {
            return Fail(vkError);
        }

        string? error = FirstError(
            Parse(ea ?? "07", "--ea", out EncryptionAlgorithm algorithm),
            ParseBaseDate(baseDate, out var date),
            ParseInt(sgc, "--sgc", out int sgcValue),
            ParseInt(ti, "--ti", out int tiValue),
            ParseInt(krn, "--krn", out int krnValue),
            ParseInt(kt, "--kt", out int ktValue));
        if (error is not null)
        {
            return Fail(error);
        }

        if (PrimaryAccountNumber.TryForDecoderReference(iain, iin, out var pan) is { } panError)
        {
            return Fail(panError);
        }

        if (KeyDerivationInput.TryCreate(sgcValue, tiValue, krnValue, ktValue, pan, out var input) is { } inputError)
        {
            return Fail(inputError);
        }

        DecoderKey key;
        switch (dkga ?? "02")
        {
            case "02" when vk!.Bits != 64:
                return Fail("DKGA-02 needs a 64-bit (16 hex digit) vending key.");
            case "02" when algorithm == EncryptionAlgorithm.Misty1:
                return Fail("DKGA-02 gives 64-bit keys; EA11 needs DKGA-04.");
            case "02":
                try
                {
                    using var generator = new Dkga02(vk);
                    key = generator.Derive(input);
                }
                catch (CryptographicException)
                {
                    return Fail("The vending key is a DES weak key.");
                }

                break;
            case "04" when vk!.Bits != 160:
                return Fail("DKGA-04 needs a 160-bit (40 hex digit) vending key.");
            case "04":
                key = new Dkga04(vk).Derive(input, date, algorithm);
                break;
            default:
                return Fail("--dkga is 02 or 04.");
        }

        bool drnValid = PrimaryAccountNumber.DecoderReferenceCheckDigitIsValid(pan.Iain);
        return json
            ? Ok(JsonSerializer.Serialize(new { decoderKey = key.ToHex(), pan = pan.Value, iin = pan.Iin, drnCheckDigitValid = drnValid }))
            : Ok(string.Join(Environment.NewLine,
                $"Decoder key: {key.ToHex()}",
                $"PAN:         {pan.Value} (IIN {pan.Iin}, DRN {pan.Iain})",
                $"DRN check digit: {(drnValid ? "valid" : "not valid (the meter number may be mistyped)")}"));
    }

    /// <summary>
    /// Encodes one token. <paramref name="amount"/> is in the token's own quantity (kWh, m³, W...). An amount the
    /// 16-bit TransferAmount cannot hold is rounded up to the next one it can, as IEC 62055-41 §6.3.5 asks (2 000.0 kWh
    /// → 2 000.4 kWh), unless <paramref name="exact"/>, which refuses it. Prints the amount the token carries.
    /// </summary>
    public static CommandOutcome Encode(string? decoderKey, string? tokenClass, string? subclass, string? tid, string? amount, string? rnd, string? ea, string? baseDate, bool json, bool exact = false)
    {
        if (ParseCipher(decoderKey, ea, out var codec) is { } keyError)
        {
            return Fail(keyError);
        }

        string? error = FirstError(
            ParseInt(tokenClass, "--class", out int classValue),
            ParseInt(subclass, "--subclass", out int subclassValue),
            ParseBaseDate(baseDate, out var date));
        if (error is not null)
        {
            return Fail(error);
        }

        int rndValue = RandomNumberGenerator.GetInt32(16);
        if (rnd is not null && ParseInt(rnd, "--rnd", out rndValue) is { } rndError)
        {
            return Fail(rndError);
        }

        if (!decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal quantity))
        {
            return Fail("--amount is a non-negative decimal number.");
        }

        uint minutes = 0;
        if (classValue != 1 && (!uint.TryParse(tid, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes > TokenIdentifier.MaxMinutes))
        {
            return Fail($"--tid is whole minutes since {date.Epoch():yyyy-MM-dd}, 0..{TokenIdentifier.MaxMinutes}.");
        }

        if (TokenValues.TryBuild(classValue, subclassValue, rndValue, minutes, quantity, exact, out var built) is { } dataError)
        {
            return Fail(dataError);
        }

        var token = codec!.Encode(built.Data);
        if (json)
        {
            return Ok(JsonSerializer.Serialize(new { token = token.ToString(), amountEncoded = built.Carried, roundedUp = built.RoundedUp }));
        }

        string asked = built.RoundedUp ? $" (asked {amount}; rounded up to the next amount STS can carry)" : string.Empty;
        return Ok(string.Join(Environment.NewLine, token.ToGroupedString(), $"amount:   {built.Carried}{asked}"));
    }

    /// <summary>Decodes one token and prints its fields.</summary>
    public static CommandOutcome Decode(string? decoderKey, string? token, string? ea, string? baseDate, bool json)
    {
        if (ParseCipher(decoderKey, ea, out var codec) is { } keyError)
        {
            return Fail(keyError);
        }

        if (ParseBaseDate(baseDate, out var date) is { } dateError)
        {
            return Fail(dateError);
        }

        if (TokenNumber.TryParse(token ?? string.Empty, out var number) is { } tokenError)
        {
            return Fail(tokenError);
        }

        var data = codec!.Decode(number, out bool crcOk);
        if (!crcOk)
        {
            return Fail("CRC mismatch: wrong decoder key, algorithm, or a mistyped token.");
        }

        string? tidDate = data.HasTokenIdentifier ? TokenIdentifier.FromMinutes(data.Tid, date).ToInstant().ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture) : null;
        string? amount = data.HasTokenIdentifier ? TokenValues.Carried(data) : null;
        if (json)
        {
            return Ok(JsonSerializer.Serialize(new
            {
                @class = (int)data.Class,
                subclass = data.Subclass,
                rnd = data.HasTokenIdentifier ? data.Rnd : (int?)null,
                tid = data.HasTokenIdentifier ? data.Tid : (uint?)null,
                tidDate,
                amount,
                data = data.HasTokenIdentifier ? null : data.Data.ToString("x11", CultureInfo.InvariantCulture),
                crcOk,
            }));
        }

        var lines = new List<string> { $"class:    {(int)data.Class} ({data.Class})", $"subclass: {data.Subclass}" };
        if (data.HasTokenIdentifier)
        {
            lines.Add($"rnd:      {data.Rnd}");
            lines.Add($"tid:      {data.Tid} ({tidDate})");
            lines.Add($"amount:   {amount}");
        }
        else
        {
            lines.Add($"data:     0x{data.Data:x11}");
        }

        lines.Add($"crcOk:    {crcOk.ToString().ToLowerInvariant()}");
        return Ok(string.Join(Environment.NewLine, lines));
    }

    private static string? ParseCipher(string? decoderKey, string? ea, out TokenCodec? codec)
    {
        codec = null;
        if (DecoderKey.TryParseHex(decoderKey, out var key) is { } keyError)
        {
            return keyError;
        }

        if (Parse(ea ?? "07", "--ea", out EncryptionAlgorithm algorithm) is { } eaError)
        {
            return eaError;
        }

        if (key.Bits != TokenCiphers.KeyBits(algorithm))
        {
            return $"EA{(int)algorithm:00} needs a {TokenCiphers.KeyBits(algorithm) / 4}-hex-digit decoder key.";
        }

        try
        {
            codec = new TokenCodec(TokenCiphers.Create(algorithm, key));
            return null;
        }
        catch (CryptographicException)
        {
            return "The decoder key is a DES weak key.";
        }
    }

    private static string? Parse(string text, string option, out EncryptionAlgorithm algorithm)
    {
        algorithm = text switch
        {
            "07" or "7" => EncryptionAlgorithm.Sta,
            "09" or "9" => EncryptionAlgorithm.Dea,
            "11" => EncryptionAlgorithm.Misty1,
            _ => 0,
        };
        return algorithm == 0 ? $"{option} is 07 (STA), 09 (DEA) or 11 (MISTY1)." : null;
    }

    private static string? ParseBaseDate(string? text, out BaseDate baseDate) =>
        BaseDates.TryParse(text ?? "1993", out baseDate) ? null : "--base-date is 1993, 2014 or 2035.";

    private static string? ParseInt(string? text, string option, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) ? null : $"{option} is a non-negative whole number.";

    private static string? FirstError(params string?[] errors) => errors.FirstOrDefault(e => e is not null);

    private static CommandOutcome Ok(string stdout) => new(0, stdout, string.Empty);

    private static CommandOutcome Fail(string message) => new(BadInput, string.Empty, message);

    private static Command KeygenCommand()
    {
        var vendingKey = new Option<string>("--vending-key") { Description = "Vending key, hex (16 digits DKGA-02, 40 DKGA-04)." };
        var sgc = new Option<string>("--sgc") { Description = "Supply group code (6 digits)." };
        var ti = new Option<string>("--ti") { Description = "Tariff index (2 digits)." };
        var krn = new Option<string>("--krn") { Description = "Key revision number (1..9)." };
        var kt = new Option<string>("--kt") { Description = "Key type (0..3)." };
        var iain = new Option<string>("--iain") { Description = "Decoder reference number (the meter number, IAIN): 11 or 13 digits." };
        var iin = new Option<string>("--iin") { Description = "Issuer identification number. Default: from the --iain length (11 digits: 600727, 13: 0000); given, it must make an 18-digit PAN." };
        var dkga = new Option<string>("--dkga") { Description = "02 or 04 (default 02)." };
        var (ea, baseDate, json) = Common();
        var command = new Command("keygen", "Derive a meter's decoder key; prints the PAN used and whether the DRN check digit is valid.") { vendingKey, sgc, ti, krn, kt, iain, iin, dkga, ea, baseDate, json };
        command.SetAction(r => Write(Keygen(r.GetValue(vendingKey), r.GetValue(sgc), r.GetValue(ti), r.GetValue(krn), r.GetValue(kt), r.GetValue(iain), r.GetValue(iin), r.GetValue(dkga), r.GetValue(ea), r.GetValue(baseDate), r.GetValue(json))));
        return command;
    }

    private static Command EncodeCommand()
    {
        var key = new Option<string>("--decoder-key") { Description = "Decoder key, hex." };
        var tokenClass = new Option<string>("--class") { Description = "Token class 0, 1 or 2." };
        var subclass = new Option<string>("--subclass") { Description = "Subclass 0..15." };
        var tid = new Option<string>("--tid") { Description = "Minutes since the base date." };
        var amount = new Option<string>("--amount") { Description = "Quantity: kWh/m³ for credit (0.1 resolution), W for power limits (class 2 subclasses 0, 6), else the raw value. Rounded up to the next amount STS can carry (IEC 62055-41); the carried amount is printed." };
        var rnd = new Option<string>("--rnd") { Description = "RND 0..15 (default random)." };
        var exact = new Option<bool>("--exact") { Description = "Refuse an amount STS cannot carry exactly instead of rounding it up." };
        var (ea, baseDate, json) = Common();
        var command = new Command("encode", "Encode a token; prints it and the amount it carries.") { key, tokenClass, subclass, tid, amount, rnd, exact, ea, baseDate, json };
        command.SetAction(r => Write(Encode(r.GetValue(key), r.GetValue(tokenClass), r.GetValue(subclass), r.GetValue(tid), r.GetValue(amount), r.GetValue(rnd), r.GetValue(ea), r.GetValue(baseDate), r.GetValue(json), r.GetValue(exact))));
        return command;
    }

    private static Command DecodeCommand()
    {
        var key = new Option<string>("--decoder-key") { Description = "Decoder key, hex." };
        var token = new Option<string>("--token") { Description = "The 20 digits (dashes allowed)." };
        var (ea, baseDate, json) = Common();
        var command = new Command("decode", "Decode a token; prints its fields and the amount it carries.") { key, token, ea, baseDate, json };
        command.SetAction(r => Write(Decode(r.GetValue(key), r.GetValue(token), r.GetValue(ea), r.GetValue(baseDate), r.GetValue(json))));
        return command;
    }

    private static (Option<string> Ea, Option<string> BaseDate, Option<bool> Json) Common() =>
        (new Option<string>("--ea") { Description = "07 (STA, default), 09 (DEA) or 11 (MISTY1)." },
         new Option<string>("--base-date") { Description = "1993 (default), 2014 or 2035." },
         new Option<bool>("--json") { Description = "Print JSON." });

    private static int Write(CommandOutcome outcome)
    {
        if (outcome.Stdout.Length > 0)
        {
            Console.Out.WriteLine(outcome.Stdout);
        }

        if (outcome.Stderr.Length > 0)
        {
            Console.Error.WriteLine(outcome.Stderr);
        }

        return outcome.ExitCode;
    }
}

/// <summary>What a command printed and returned.</summary>
public readonly record struct CommandOutcome(int ExitCode, string Stdout, string Stderr);
