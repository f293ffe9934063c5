namespace Prepay.Sts;
