"""Words of a URL a stranger chose (safety.net): a photo URL or a model endpoint typed into
the page, what is wrong with it, and what went wrong fetching from it."""

WORDS = {
    "net.noun.photo": ("photo URL", "照片网址"),
    "net.noun.endpoint": ("model endpoint URL", "模型服务地址"),
    "net.hint.photo": (
        "Use a public photo URL, or upload the photo instead.",
        "请使用公开的照片网址，或直接上传照片。",
    ),
    "net.hint.endpoint": (
        "To use a server on your own network, start the app with QWEN_VL_BASE_URL set to that "
        "server.",
        "如需使用内网服务器，请在启动应用时将 QWEN_VL_BASE_URL 设为该服务器。",
    ),
    "net.hint.endpoint-allow": (
        "To use a server on your own network, start the app with QWEN_VL_BASE_URL set to that "
        "server, or allow its network with SAFETY_ALLOWED_NETWORKS.",
        "如需使用内网服务器，请在启动应用时将 QWEN_VL_BASE_URL 设为该服务器，"
        "或用 SAFETY_ALLOWED_NETWORKS 放行其所在网络。",
    ),
    "net.zone": (
        "The {noun} for {display} uses an IPv6 zone identifier (the part after '%'), which "
        "points into a local network. {hint}",
        "{display} 的{noun}使用了 IPv6 区域标识（“%”之后的部分），指向本地网络。{hint}",
    ),
    "net.bad-ipv6": (
        "The {noun} for {display} has an invalid IPv6 address in brackets.",
        "{display} 的{noun}中，方括号内的 IPv6 地址无效。",
    ),
    "net.bad-host": (
        "The {noun} has an invalid host name ({display}). Check the address for typos.",
        "{noun}中的主机名无效（{display}），请检查地址是否写错。",
    ),
    "net.bad-ip": (
        "The {noun} has an invalid IP address ({display}). Check the address for typos.",
        "{noun}中的 IP 地址无效（{display}），请检查地址是否写错。",
    ),
    "net.not-text": ("The {noun} must be text.", "{noun}必须是文本。"),
    "net.empty": (
        "Please enter a {noun} starting with http:// or https://.",
        "请输入以 http:// 或 https:// 开头的{noun}。",
    ),
    "net.too-long": (
        "The {noun} is too long (over {n} characters).",
        "{noun}过长（超过 {n} 个字符）。",
    ),
    "net.spaces": (
        "The {noun} contains spaces or invisible characters. Copy the address again, or "
        "replace spaces with %20.",
        "{noun}中含有空格或不可见字符。请重新复制地址，或将空格替换为 %20。",
    ),
    "net.unparsable": (
        "The {noun} is not a valid address (check the brackets around IPv6 addresses).",
        "{noun}不是有效的地址（请检查 IPv6 地址两侧的方括号）。",
    ),
    "net.scheme": (
        "The {noun} for {display} must start with http:// or https:// (this one starts with "
        "{used}:).",
        "{display} 的{noun}必须以 http:// 或 https:// 开头（此地址以 {used}: 开头）。",
    ),
    "net.no-scheme": (
        "The {noun} must start with http:// or https://.",
        "{noun}必须以 http:// 或 https:// 开头。",
    ),
    "net.credentials": (
        "The {noun} for {display} contains a user name or password (the part before '@'). "
        "Remove it; this app does not log in to other sites.",
        "{display} 的{noun}中含有用户名或密码（“@”之前的部分）。请删除；本应用不会登录其他网站。",
    ),
    "net.no-host": (
        "The {noun} has no host name, e.g. {example}.",
        "{noun}中缺少主机名，应形如 {example}。",
    ),
    "net.bad-port": (
        "The {noun} has an invalid port number ({display}).",
        "{noun}中的端口号无效（{display}）。",
    ),
    "net.dns-slow": (
        "Looking up the address of {display} took too long. Check the address, or try again later.",
        "查询 {display} 的地址超时。请检查地址，或稍后再试。",
    ),
    "net.dns-none": (
        "Could not find the server {display}. Check the address for typos.",
        "找不到服务器 {display}，请检查地址是否写错。",
    ),
    "net.private-ip": (
        "{display} is a private, local or reserved network address, so this app will not "
        "download from it. Use a public photo URL, or upload the photo instead. (For "
        "on-premises cameras, an administrator can allow their network with "
        "SAFETY_ALLOWED_NETWORKS.)",
        "{display} 是内网、本机或保留地址，本应用不会从该处下载。请使用公开的照片网址，"
        "或直接上传照片。（现场内网摄像头可由管理员通过 SAFETY_ALLOWED_NETWORKS 放行其所在网络。）",
    ),
    "net.private-name": (
        "{display} points to a private, local or reserved network address, so this app will "
        "not download from it. Use a public photo URL, or upload the photo instead. (For "
        "on-premises cameras, an administrator can allow their network with "
        "SAFETY_ALLOWED_NETWORKS.)",
        "{display} 解析到内网、本机或保留地址，本应用不会从该处下载。请使用公开的照片网址，"
        "或直接上传照片。（现场内网摄像头可由管理员通过 SAFETY_ALLOWED_NETWORKS 放行其所在网络。）",
    ),
    "net.endpoint-private-ip": (
        "The model endpoint {display} is a private, local or reserved network address, so "
        "this app will not connect to it from an address typed into the page. {fix}",
        "模型服务 {display} 是内网、本机或保留地址，本应用不会连接页面上填写的此类地址。{fix}",
    ),
    "net.endpoint-private-name": (
        "The model endpoint {display} points to a private, local or reserved network "
        "address, so this app will not connect to it from an address typed into the page. "
        "{fix}",
        "模型服务 {display} 解析到内网、本机或保留地址，本应用不会连接页面上填写的此类地址。{fix}",
    ),
    "net.too-large": (
        "The photo at {display} is too large ({size}; the limit is {limit}). Use a smaller photo.",
        "{display} 上的照片过大（{size}，上限为 {limit}），请换一张较小的照片。",
    ),
    "net.too-large-stream": (
        "The photo at {display} is too large (more than {limit}). Use a smaller photo.",
        "{display} 上的照片过大（超过 {limit}），请换一张较小的照片。",
    ),
    "net.status": (
        "The server at {display} answered {status}{reason} instead of sending the photo. "
        "Check that the URL is correct and the photo is publicly accessible.",
        "{display} 服务器返回了 {status}{reason}，而不是照片。请检查网址是否正确、照片是否可公开访问。",
    ),
    "net.html": (
        "{display} sent HTML: the URL points to a web page, not an image. Open the page, "
        "right-click the photo and copy the image address instead.",
        "{display} 返回的是网页（HTML）而不是图片。请打开该网页，右键点击照片，选择“复制图片地址”。",
    ),
    "net.empty-body": (
        "The server at {display} sent an empty file instead of a photo.",
        "{display} 服务器返回了空文件，而不是照片。",
    ),
    "net.deadline": (
        "Downloading the photo from {display} took longer than {seconds:g} seconds, so it was "
        "stopped. Try a smaller photo, or upload it instead.",
        "从 {display} 下载照片超过 {seconds:g} 秒，已停止。请换一张较小的照片，或直接上传。",
    ),
    "net.connect-timeout": (
        "{display} did not accept a connection within {seconds:g} seconds. Check that the "
        "server is up and reachable from the internet.",
        "{display} 在 {seconds:g} 秒内未接受连接。请确认该服务器已启动且可从互联网访问。",
    ),
    "net.read-timeout": (
        "{display} stopped responding (nothing received for {seconds:g} seconds). Try again "
        "later, or upload the photo instead.",
        "{display} 已停止响应（{seconds:g} 秒内未收到任何数据）。请稍后再试，或直接上传照片。",
    ),
    "net.cert": (
        "The HTTPS certificate of {display} could not be verified, so the download was "
        "stopped. Check the address, or upload the photo instead.",
        "无法验证 {display} 的 HTTPS 证书，下载已停止。请检查地址，或直接上传照片。",
    ),
    "net.tls": (
        "Could not set up a secure (HTTPS) connection with {display}. Check the address, or "
        "upload the photo instead.",
        "无法与 {display} 建立安全（HTTPS）连接。请检查地址，或直接上传照片。",
    ),
    "net.connect": (
        "Could not connect to {display}. Check the address and that the server is up.",
        "无法连接到 {display}。请检查地址，并确认服务器已启动。",
    ),
    "net.protocol": (
        "The server at {display} sent an invalid HTTP response.",
        "{display} 服务器返回了无效的 HTTP 响应。",
    ),
    "net.broke": (
        "The connection to {display} broke off during the download. Please try again.",
        "下载过程中与 {display} 的连接中断，请重试。",
    ),
    "net.redirected": (
        "The server at {by} redirected the download: {error}",
        "{by} 服务器将下载重定向了：{error}",
    ),
    "net.redirects": (
        "{display} redirected more than {n} times. Use the direct address of the photo.",
        "{display} 重定向超过 {n} 次，请使用照片的直接地址。",
    ),
    "net.redirect-bad": (
        "{display} redirected to an unusable address: {error}",
        "{display} 重定向到了无法使用的地址：{error}",
    ),
}
