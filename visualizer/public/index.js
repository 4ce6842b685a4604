// Landing page: the admin goes to the inspector, a team to its scanner page.
import { whoami } from './common.js';

const who = await whoami();
if (who) location.replace(who.role === 'admin' && who.inspector ? '/inspector.html' : '/scanner.html');
