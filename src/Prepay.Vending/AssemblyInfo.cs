namespace Prepay.Vending;
