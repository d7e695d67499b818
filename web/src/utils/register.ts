// Client-side checks of the enterprise register form. The API is the authority; these only
// say early, in the form, what it would refuse: the credit code's check character (GB 32100-2015,
// 4.5), phone numbers (mobile or fixed line with area code), e-mail, certificate numbers.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** Why a credit code is refused: 'length', 'chars', 'division', 'check', or null when valid. */
export function creditCodeProblem(text: string): 'length' | 'chars' | 'division' | 'check' | null {
  const code = text.trim().toUpperCase()
  if (code.length !== 18) return 'length'
  if ([...code].some((c) => !CHARSET.includes(c))) return 'chars'
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return 'division'
  let total = 0
  for (let i = 0; i < 17; i++) total += CHARSET.indexOf(code[i]) * WEIGHTS[i]
  return code[17] === CHARSET[(31 - (total % 31)) % 31] ? null : 'check'
}

export const PHONE = /^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}(-[0-9]{1,6})?)$/
export const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/
export const CERTIFICATE = /^[0-9A-Za-z\u4e00-\u9fff()（）〔〕[\]/._-]{1,40}$/
