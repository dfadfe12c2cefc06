namespace Digits;
