import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { type SessionNotice, useSession } from './session-provider.tsx';

type LoginProblem = { readonly kind: 'missing' } | { readonly kind: 'failed'; readonly error: unknown };

export function LoginPage({
  notice,
  autoFocus,
}: {
  readonly notice: SessionNotice | null;
  readonly autoFocus: boolean;
}) {
  const { t } = useI18n();
  const { logIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<LoginProblem | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const ids = { heading: useId(), email: useId(), password: useId(), error: useId() };

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (!email.trim() || !password) {
      setProblem({ kind: 'missing' });
      return;
    }
    setSubmitting(true);
    setProblem(null);
    try {
      await logIn(email.trim(), password);
    } catch (error) {
      setProblem({ kind: 'failed', error });
      setSubmitting(false);
    }
  }

  const message = problem && (problem.kind === 'missing' ? t.login.missing : errorMessage(t, problem.error));
  const describedBy = message ? ids.error : undefined;

  return (
    <section className="login" aria-labelledby={ids.heading}>
      <h1 id={ids.heading} ref={headingRef} tabIndex={-1}>
        {t.login.heading}
      </h1>
      <p>{t.login.intro}</p>
      {notice && (
        <p className="notice notice-info" role="status">
          {notice === 'sessionEnded' ? t.login.sessionEnded : t.login.loggedOut}
        </p>
      )}
      <form className="login-form" noValidate onSubmit={submit}>
        <div role="alert">
          {message && (
            <p id={ids.error} className="notice notice-error">
              {message}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={ids.email}>{t.login.email}</label>
          <input
            id={ids.email}
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            aria-invalid={message ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>{t.login.password}</label>
          <input
            id={ids.password}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            aria-invalid={message ? true : undefined}
            aria-describedby={describedBy}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
          {submitting ? t.login.submitting : t.login.submit}
        </button>
      </form>
    </section>
  );
}
