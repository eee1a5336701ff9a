/**
 * The `recipient` check: API Particulier "refuse tout format qui ne serait pas un numéro de
 * SIRET". A SIRET is 14 digits whose Luhn sum is a multiple of 10; La Poste's establishments
 * (SIREN 356000000) use instead "the sum of the 14 digits is a multiple of 5" (its head office,
 * 35600000000048, is Luhn-valid too). Written again here: the sandbox imports nothing of ours.
 */

const SIRET = /^[0-9]{14}$/;
const LA_POSTE_SIREN = '356000000';

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (const char of digits) sum += char.charCodeAt(0) - 48;
  return sum;
}

export function isValidSiret(value: string): boolean {
  if (!SIRET.test(value)) return false;
  if (luhnValid(value)) return true;
  return value.startsWith(LA_POSTE_SIREN) && digitSum(value) % 5 === 0;
}
