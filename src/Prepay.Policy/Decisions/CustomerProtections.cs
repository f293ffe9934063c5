namespace Prepay.Policy.Decisions;

/// <summary>What the customer is registered for; a household may be both.</summary>
[Flags]
public enum CustomerProtections
{
    None = 0,

    /// <summary>Someone in the household depends on electrically powered medical equipment.</summary>
    Medical = 1,

    /// <summary>A household registered as vulnerable (age, disability, illness, young children…).</summary>
    Vulnerable = 2,
}
