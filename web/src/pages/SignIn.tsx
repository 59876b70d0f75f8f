import { type FormEvent, useState } from 'react';
import { ApiError, api, setToken, type Whoami } from '../api.js';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Whoami) => void }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setToken(token.trim());
    try {
      onSignedIn(await api<Whoami>('/api/v1/whoami'));
    } catch (err) {
      setToken(null);
      setError(err instanceof ApiError && err.status === 401 ? 'That token is unknown or revoked.' : String(err));
    }
  };
  return (
    <main className="signin" id="main">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span aria-hidden="true">◉</span> Leuko
        </h1>
        <p>Sign in with an API token. Create one on the server:</p>
        <pre>leuko tokens create --role operator --name you</pre>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setValue(e.target.value)}
          required
          aria-describedby={error ? 'signin-error' : undefined}
        />
        {error && (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
