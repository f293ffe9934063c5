namespace Prepay.Sts.Tokens;

/// <summary>The 2-bit token class. IEC 62055-41 §6.1 (Table "Token classes").</summary>
public enum TokenClass
{
    /// <summary>Class 0: credit transfer, encrypted.</summary>
    CreditTransfer = 0,

    /// <summary>Class 1: non-meter-specific engineering, not encrypted.</summary>
    NonMeterSpecificEngineering = 1,

    /// <summary>Class 2: meter-specific management, encrypted.</summary>
    MeterSpecificManagement = 2,

    /// <summary>Class 3: reserved for future use.</summary>
    Reserved = 3,
}

/// <summary>Class 0 subclasses. IEC 62055-41 §6.2 (credit transfer token subclasses).</summary>
public enum CreditSubclass
{
    /// <summary>Electricity in 0.1 kWh.</summary>
    Electricity = 0,

    /// <summary>Water in 0.1 m³.</summary>
    Water = 1,

    /// <summary>Gas in 0.1 m³.</summary>
    Gas = 2,

    /// <summary>Time (connection time) units.</summary>
    Time = 3,

    /// <summary>Electricity currency.</summary>
    ElectricityCurrency = 4,

    /// <summary>Water currency.</summary>
    WaterCurrency = 5,

    /// <summary>Gas currency.</summary>
    GasCurrency = 6,

    /// <summary>Time currency.</summary>
    TimeCurrency = 7,
}

/// <summary>Class 1 subclasses (not encrypted). IEC 62055-41 §6.2.</summary>
public enum EngineeringSubclass
{
    /// <summary>Initiate meter test/display: 36-bit control, 8-bit manufacturer code.</summary>
    InitiateMeterTestOrDisplay = 0,

    /// <summary>Initiate meter test/display: 28-bit control, 16-bit manufacturer code.</summary>
    InitiateMeterTestOrDisplay2 = 1,
}

/// <summary>Class 2 subclasses. IEC 62055-41 §6.2.</summary>
public enum ManagementSubclass
{
    /// <summary>Set maximum power limit (watts).</summary>
    SetMaximumPowerLimit = 0,

    /// <summary>Clear credit (16-bit register mask, 0xFFFF = all).</summary>
    ClearCredit = 1,

    /// <summary>Set tariff rate.</summary>
    SetTariffRate = 2,

    /// <summary>Set 1st section decoder key: KENHO, KRN, RO, KT, NKHO.</summary>
    SetDecoderKey1 = 3,

    /// <summary>Set 2nd section decoder key: KENLO, TI, NKLO.</summary>
    SetDecoderKey2 = 4,

    /// <summary>Clear tamper condition.</summary>
    ClearTamperCondition = 5,

    /// <summary>Set maximum phase power unbalance limit (watts).</summary>
    SetMaximumPhasePowerUnbalanceLimit = 6,

    /// <summary>Set water meter factor.</summary>
    SetWaterMeterFactor = 7,

    /// <summary>Set 3rd section decoder key (128-bit keys): SGC low order, key bits 95..64.</summary>
    SetDecoderKey3 = 8,

    /// <summary>Set 4th section decoder key (128-bit keys): SGC high order, key bits 63..32.</summary>
    SetDecoderKey4 = 9,
}
