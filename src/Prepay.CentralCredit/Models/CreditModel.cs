namespace Prepay.CentralCredit.Models;

/// <summary>Where a meter's credit is held.</summary>
public enum CreditModel
{
    /// <summary>In the meter: a vend sends it a token or an <c>addCredit</c> command, the meter counts it down.</summary>
    Meter,

    /// <summary>In the ledger: a vend credits the meter's central balance, the server prices each interval and debits it.</summary>
    Central,
}

public static class CreditModelText
{
    public static string Stored(CreditModel model) => model switch
    {
        CreditModel.Meter => Storage.Records.CentralCredit.MeterCreditModelRecord.InMeter,
        CreditModel.Central => Storage.Records.CentralCredit.MeterCreditModelRecord.Central,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    public static bool TryParse(string? text, out CreditModel model)
    {
        (var ok, model) = text switch
        {
            "meter" => (true, CreditModel.Meter),
            "central" => (true, CreditModel.Central),
            _ => (false, default),
        };
        return ok;
    }
}
