namespace Prepay.MeterLink.Commands;

/// <summary>Records on the meter the tariff (code and published version) its credit was priced with.</summary>
public sealed record SetTariff(string TariffCode, int Version) : MeterCommand;
