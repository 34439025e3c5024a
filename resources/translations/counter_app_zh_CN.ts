<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/staff_admin.py" line="+195"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add...</source>
        <translation>新增...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password...</source>
        <translation>重置密码...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roles...</source>
        <translation>设置岗位...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify audit trail</source>
        <translation>校验审计日志</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Active</source>
        <translation>已启用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The new password is set.</source>
        <translation>新密码已设置。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Checking...</source>
        <translation>正在校验...</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Audit trail intact: %n entries.</source>
        <translation>
            <numerusform>审计日志完整：共 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Audit trail damaged at entry %1: %2</source>
        <translation>审计日志在第 %1 条记录处损坏：%2</translation>
    </message>
</context>
<context>
    <name>ChecklistBrowser</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="+103"/>
        <source>Document</source>
        <translation>单证</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Original / copy</source>
        <translation>原件/复印件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Required</source>
        <translation>是否必交</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Original</source>
        <translation>原件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy</source>
        <translation>复印件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>If applicable</source>
        <translation>视情况</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <location filename="../../counter_app/ui/banner.py" line="+21"/>
        <source>Cannot reach the branch hub. Reconnecting automatically; what you type is kept and can be sent when the link is back.</source>
        <translation>无法连接网点服务器，正在自动重连；已输入的内容会保留，连接恢复后即可提交。</translation>
    </message>
</context>
<context>
    <name>CounterApp</name>
    <message>
        <location filename="../../counter_app/ui/app.py" line="+199"/>
        <source>Hub not started</source>
        <translation>网点服务器未启动</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../counter_app/ui/crash.py" line="+44"/>
        <source>The program hit an error</source>
        <translation>程序出错</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Something went wrong. A report was saved to:
%1
Please give it to the branch IT. You can go on working or quit.</source>
        <translation>程序发生错误，错误报告已保存到：
%1
请将报告交给网点信息技术人员。您可以继续工作，也可以退出程序。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>DemoMark</name>
    <message>
        <location filename="../../counter_app/ui/widgets.py" line="+46"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo data: made-up staff and records, never sent to head office</source>
        <translation>演示数据：人员和记录均为虚构，不会上传总公司</translation>
    </message>
</context>
<context>
    <name>GuideWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="+82"/>
        <source>Direct each customer to the right service; the windows serving it are listed.</source>
        <translation>请引导每位客户办理对应业务；下表列出了办理各项业务的窗口。</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../counter_app/ui/login.py" line="+120"/>
        <source>Service counter - log in</source>
        <translation>柜面系统 - 登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer Service Centre</source>
        <translation>客户服务中心</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings...</source>
        <translation>设置...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>starting built-in hub...</source>
        <translation>正在启动内置网点服务器...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hub: %1</source>
        <translation>网点服务器：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Connecting to the hub...</source>
        <translation>正在连接网点服务器...</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Please enter your username and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Logging in...</source>
        <translation>正在登录...</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="+160"/>
        <source>Service counter - %1</source>
        <translation>柜面系统 - %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2) - %3 - workstation %4</source>
        <translation>%1（%2）- %3 - 工作站 %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings...</source>
        <translation>设置(&amp;S)...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Devices</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simulate a barcode scan...</source>
        <translation>模拟扫码...</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Hub connected: %1</source>
        <translation>已连接网点服务器：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hub unreachable: %1</source>
        <translation>无法连接网点服务器：%1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Scanned: %1</source>
        <translation>已扫描：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Simulated scanner</source>
        <translation>模拟扫码枪</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Barcode to scan:</source>
        <translation>要扫描的条码：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service counter %1
Hub: %2</source>
        <translation>柜面系统 %1
网点服务器：%2</translation>
    </message>
</context>
<context>
    <name>ManagerWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/manager.py" line="+53"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recent actions (audit trail)</source>
        <translation>近期操作（审计日志）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services and windows</source>
        <translation>业务与窗口</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subject</source>
        <translation>操作对象</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Active</source>
        <translation>已启用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>PrinterTable</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="-48"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket printer</source>
        <translation>排号票据打印机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Office printer</source>
        <translation>办公打印机</translation>
    </message>
</context>
<context>
    <name>ReloginDialog</name>
    <message>
        <location filename="../../counter_app/ui/main_window.py" line="-207"/>
        <source>Log in again</source>
        <translation>重新登录</translation>
    </message>
</context>
<context>
    <name>ServiceTable</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/reference_views.py" line="-30"/>
        <source>Prefix</source>
        <translation>号码前缀</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hours</source>
        <translation>办理时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Windows</source>
        <translation>窗口</translation>
    </message>
</context>
<context>
    <name>ServicesWorkspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/posts.py" line="-25"/>
        <source>Services and windows</source>
        <translation>业务与窗口</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Claim document checklists</source>
        <translation>理赔单证清单</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../counter_app/ui/settings_dialog.py" line="+34"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+89"/>
        <source>Not saved: the hub address must start with http:// or https://</source>
        <translation>未保存：网点服务器地址必须以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not saved: the value of “%1” is not valid.</source>
        <translation>未保存：“%1”的值无效。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not saved: the settings file cannot be written (%1).</source>
        <translation>未保存：无法写入设置文件（%1）。</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/staff_admin.py" line="-224"/>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password again</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Roles</source>
        <translation>岗位</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Add staff member</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set a new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change roles</source>
        <translation>修改岗位</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose at least one role.</source>
        <translation>请至少选择一个岗位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter a username.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saving...</source>
        <translation>正在保存...</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../counter_app/ui/workspaces/base.py" line="+67"/>
        <source>Could not complete</source>
        <translation>操作未完成</translation>
    </message>
</context>
<context>
    <name>actions</name>
    <message>
        <location filename="../../counter_app/ui/messages.py" line="+103"/>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logged out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login refused: account locked</source>
        <translation>拒绝登录：账号已锁定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Login refused: account disabled</source>
        <translation>拒绝登录：账号已停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member added</source>
        <translation>新增员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member enabled</source>
        <translation>启用员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff member disabled</source>
        <translation>停用员工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roles changed</source>
        <translation>修改岗位</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password set</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch code or name set</source>
        <translation>设置网点代码或名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo data loaded</source>
        <translation>加载演示数据</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location line="-92"/>
        <source>Please log in.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrong username or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many wrong passwords: this account is locked until {until}. Ask the administrator to reset the password.</source>
        <translation>密码错误次数过多，该账号已锁定至 {until}。请联系系统管理员重置密码。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This account is disabled. Please contact the administrator.</source>
        <translation>该账号已停用，请联系系统管理员。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your login has expired. Please log in again; nothing you typed is lost.</source>
        <translation>登录已过期，请重新登录；已输入的内容不会丢失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your role does not allow this.</source>
        <translation>您的岗位无权执行此操作。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not found.</source>
        <translation>未找到。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Some of the input is not valid.</source>
        <translation>部分输入内容无效。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The username {username} is already in use.</source>
        <translation>用户名 {username} 已被使用。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password is too weak: at least {min_length} characters, not the username, not one repeated character.</source>
        <translation>密码强度不足：至少 {min_length} 个字符，不能与用户名相同，也不能由同一个字符重复组成。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A username is 2 to 32 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>用户名须由 2 至 32 个字母、数字或“.”“_”“-”组成。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unknown role: {role}</source>
        <translation>未知岗位：{role}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The last active administrator cannot be disabled or lose the admin role.</source>
        <translation>最后一名在用的系统管理员不能被停用，也不能被取消系统管理员岗位。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is a demo database; it can never be connected to head office.</source>
        <translation>这是演示数据库，不能接入总公司系统。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database reported an error; nothing was changed.</source>
        <translation>网点数据库报错，未做任何更改。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The disk of the branch hub is full; nothing was saved. Free some space.</source>
        <translation>网点服务器磁盘已满，未保存任何内容。请清理磁盘空间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database cannot be written (read-only file or folder).</source>
        <translation>网点数据库无法写入（文件或文件夹为只读）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The branch database file is damaged. Stop and restore it from the backup; nothing was changed.</source>
        <translation>网点数据库文件已损坏，请停止使用并从备份恢复；未做任何更改。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The database was made by a newer version of the program ({database}); please install the newer version.</source>
        <translation>数据库由更高版本的程序创建（{database}），请安装新版本程序。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Another hub (process {pid}) is already running on this data folder; this one was not started.</source>
        <translation>已有另一个网点服务器（进程 {pid}）在使用此数据文件夹，本服务器未启动。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cannot reach the branch hub. Reconnecting by itself; nothing typed is lost.</source>
        <translation>无法连接网点服务器，正在自动重连；已输入的内容不会丢失。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub sent an answer this program cannot read.</source>
        <translation>网点服务器返回了本程序无法识别的应答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The hub runs a different program version (hub {hub}, this counter {program}). Update this counter or the hub.</source>
        <translation>网点服务器与本柜面的程序版本不一致（网点服务器 {hub}，本柜面 {program}）。请更新本柜面或网点服务器。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The built-in hub could not start: {reason}</source>
        <translation>内置网点服务器无法启动：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal error in the hub; it has been logged.</source>
        <translation>网点服务器内部错误，已记录日志。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The barcode scanner cannot be opened: {port}</source>
        <translation>无法打开扫码枪：{port}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A setting is not valid: {detail}</source>
        <translation>设置项无效：{detail}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The system keyring is not available; credentials cannot be stored.</source>
        <translation>系统密钥环不可用，无法保存登录凭据。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error {code}: {detail}</source>
        <translation>错误 {code}：{detail}</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location line="+18"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Front-desk guide</source>
        <translation>前台引导岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing / endorsement clerk</source>
        <translation>出单批改岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claim-document collector</source>
        <translation>单证收集岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New-channel support</source>
        <translation>新渠道支持岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back office</source>
        <translation>综合内勤岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer service</source>
        <translation>客服岗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Centre manager</source>
        <translation>客服中心经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../../counter_app/config/settings.py" line="+114"/>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Branch hub address (empty: built-in hub on this computer)</source>
        <translation>网点服务器地址（留空：使用本机内置网点服务器）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workstation name (empty: computer name)</source>
        <translation>工作站名称（留空：使用计算机名）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Use simulated devices when none configured</source>
        <translation>未配置设备时使用模拟设备</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Serial barcode scanner port (optional)</source>
        <translation>串口扫码枪端口（可选）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Serial scanner baud rate</source>
        <translation>串口扫码枪波特率</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Max milliseconds between keys of a scan</source>
        <translation>扫码按键最大间隔（毫秒）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Shortest barcode accepted from a keyboard scanner</source>
        <translation>键盘式扫码枪最短条码长度</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Seconds between reconnect attempts</source>
        <translation>重连间隔（秒）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hub listen address</source>
        <translation>网点服务器监听地址</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hub listen port</source>
        <translation>网点服务器监听端口</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes a login stays valid</source>
        <translation>登录有效时长（分钟）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wrong passwords before an account is locked</source>
        <translation>账号锁定前允许的密码错误次数</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Minutes an account stays locked</source>
        <translation>账号锁定时长（分钟）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Branch code (from head office)</source>
        <translation>网点代码（由总公司分配）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Branch name</source>
        <translation>网点名称</translation>
    </message>
</context>
<context>
    <name>tabs</name>
    <message>
        <location filename="../../counter_app/ui/messages.py" line="-17"/>
        <source>Guide</source>
        <translation>前台引导</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing</source>
        <translation>出单批改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claims</source>
        <translation>单证收集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channels</source>
        <translation>新渠道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office</source>
        <translation>综合内勤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>客服</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation>经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>系统管理</translation>
    </message>
</context>
</TS>
