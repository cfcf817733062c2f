import { useTranslation } from 'react-i18next';

/**
 * The state government's mark in the header (GIGW 3.0: the owner's identity on every page). A
 * neutral drawn mark — a ring with the state's name in Hindi and English — not an imitation of
 * the Ashoka emblem, whose use the State Emblem of India (Prohibition of Improper Use) Act governs;
 * an official artwork replaces this file when the department supplies it.
 */
export function StateMark({ size = 64 }: { size?: number }) {
  const { t } = useTranslation();
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 64 64"
      role="img"
      aria-label={`${t('site.stateMarkHi')} / ${t('site.stateMark')}`}
      className="roams-state-mark"
    >
      <title>{`${t('site.stateMarkHi')} / ${t('site.stateMark')}`}</title>
      <circle cx="32" cy="32" r="30" fill="#fff" stroke="#0b3d6e" strokeWidth="3" />
      <circle cx="32" cy="32" r="22" fill="none" stroke="#b35c00" strokeWidth="1.5" />
      <text x="32" y="29" textAnchor="middle" fontSize="8.5" fontWeight="700" fill="#0b3d6e" lang="hi">
        मध्य प्रदेश
      </text>
      <text x="32" y="39" textAnchor="middle" fontSize="8.5" fontWeight="700" fill="#0b3d6e" lang="hi">
        शासन
      </text>
      <text x="32" y="48" textAnchor="middle" fontSize="4.6" fill="#0b3d6e">
        GOVT. OF M.P.
      </text>
    </svg>
  );
}
